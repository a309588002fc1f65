package dev.fabula.scheduler.internal;

import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;

/** Lists the scheduler's tables (jobs, schedules) for {@code migrate}. */
public final class SchedulerComponentProvider implements ComponentProvider {

  /** The ServiceLoader constructor. */
  public SchedulerComponentProvider() {}

  @Override
  public Component component() {
    return SchedulerTables.COMPONENT;
  }

  @Override
  public dev.fabula.spi.ErasureParticipant erasure(dev.fabula.jdbc.spi.ComponentDatabase db) {
    return new SchedulerErasure(db);
  }
}
