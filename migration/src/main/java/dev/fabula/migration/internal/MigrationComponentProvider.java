package dev.fabula.migration.internal;

import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;

/** Lists the migration toolkit's tables (imports, capture, read switches) for {@code migrate}. */
public final class MigrationComponentProvider implements ComponentProvider {

  /** The ServiceLoader constructor. */
  public MigrationComponentProvider() {}

  @Override
  public Component component() {
    return MigrationTables.COMPONENT;
  }

  @Override
  public dev.fabula.spi.ErasureParticipant erasure(dev.fabula.jdbc.spi.ComponentDatabase db) {
    return new MigrationErasure(db);
  }
}
