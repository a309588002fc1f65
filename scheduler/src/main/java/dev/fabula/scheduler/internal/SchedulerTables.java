package dev.fabula.scheduler.internal;

import dev.fabula.jdbc.spi.Component;
import java.util.List;

/** The scheduler's tables beside the store's: its component of the store's database. */
public final class SchedulerTables {
  /** The component: jobs, runs, schedules, workers, limits; SQL under {@code dev/fabula/scheduler/}. */
  public static final Component COMPONENT = new Component("scheduler", SchedulerTables.class, "dev/fabula/scheduler",
      List.of("V1__scheduler.sql", "V2__compensations.sql", "V3__job_tenants.sql",
          "V4__schedule_pause.sql", "V5__job_headers.sql"));

  private SchedulerTables() {}
}
