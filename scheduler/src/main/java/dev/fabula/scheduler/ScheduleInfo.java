package dev.fabula.scheduler;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A stored recurring schedule.
 *
 * @param name its name
 * @param schedule when it runs
 * @param job the job it enqueues at each occurrence
 * @param nextRunAt its next occurrence not turned into a job yet, or null when there is none
 * @param lastScheduledFor the latest occurrence turned into a job, or null
 * @param paused whether it is paused ({@link JobQueue#pauseSchedule}): it makes no jobs until resumed
 */
public record ScheduleInfo(
    String name, Schedule schedule, JobRequest job, @Nullable Instant nextRunAt, @Nullable Instant lastScheduledFor,
    boolean paused) {

  /** A schedule that is not paused. */
  public ScheduleInfo(String name, Schedule schedule, JobRequest job, @Nullable Instant nextRunAt, @Nullable Instant lastScheduledFor) {
    this(name, schedule, job, nextRunAt, lastScheduledFor, false);
  }
}
