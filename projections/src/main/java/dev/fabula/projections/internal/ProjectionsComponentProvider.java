package dev.fabula.projections.internal;

import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;

/** Lists the projections' tables (checkpoints, leases, parked events) for {@code migrate}. */
public final class ProjectionsComponentProvider implements ComponentProvider {

  /** The ServiceLoader constructor. */
  public ProjectionsComponentProvider() {}

  @Override
  public Component component() {
    return ProjectionSql.COMPONENT;
  }

  @Override
  public dev.fabula.spi.ErasureParticipant erasure(dev.fabula.jdbc.spi.ComponentDatabase db) {
    return new ProjectionsErasure(db);
  }
}
