package dev.fabula.scheduler;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the execution history: an attempt of a job, or an occurrence of a schedule that
 * was missed. History outlives the job rows and is pruned after {@link
 * JobQueueConfig#historyRetention()}, except for jobs that failed and are still kept.
 *
 * @param id the entry's id
 * @param jobId the job, or null for a missed occurrence
 * @param type the job type
 * @param queue the queue
 * @param attempt the attempt number (0 for a missed occurrence)
 * @param trigger why the attempt ran
 * @param parentId the parent job for a dependent job, or null
 * @param scheduleName the schedule, or null
 * @param scheduledFor the schedule occurrence, or null
 * @param worker the worker that ran it, or null
 * @param startedAt when the attempt started
 * @param finishedAt when it ended
 * @param durationMs its duration in milliseconds
 * @param outcome how it ended
 * @param error the error, for failures, expired leases and misses
 * @param output the handler's JSON output on success, or null
 */
public record JobRun(
    long id,
    @Nullable Long jobId,
    String type,
    String queue,
    int attempt,
    Trigger trigger,
    @Nullable Long parentId,
    @Nullable String scheduleName,
    @Nullable Instant scheduledFor,
    @Nullable String worker,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    Outcome outcome,
    @Nullable String error,
    @Nullable String output) {

  /** How an attempt ended. */
  public enum Outcome {
    /** The handler succeeded. */
    SUCCEEDED,
    /** The handler failed (the job retries if it has attempts left). */
    FAILED,
    /** The handler asked to run again later; the attempt was given back. */
    SNOOZED,
    /** The worker stopped renewing the lease (it died or froze); the attempt counts. */
    LEASE_EXPIRED,
    /** The pool shut down before the handler finished; the attempt was given back. */
    INTERRUPTED,
    /** A schedule occurrence that did not run (downtime, lateness limit, missed-run policy). */
    MISSED;

    /** The database spelling. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
