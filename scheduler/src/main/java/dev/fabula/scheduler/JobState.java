package dev.fabula.scheduler;

/**
 * Where a job is in its life:
 *
 * <pre>
 *   WAITING (for its parent) ──▶ PENDING ──▶ RUNNING ──▶ SUCCEEDED
 *                                  ▲            │
 *                                  └── retry ───┤──▶ FAILED (attempts used up, or no retry)
 *   any unfinished state ──▶ CANCELLED
 *   FAILED, CANCELLED ──▶ PENDING, by hand (JobQueue.retry)
 * </pre>
 */
public enum JobState {
  /** Waits for its parent job to succeed. */
  WAITING,
  /** Waits for its run time and a free worker. */
  PENDING,
  /** Claimed by a worker, which holds its lease. */
  RUNNING,
  /** Finished successfully. */
  SUCCEEDED,
  /** Finished unsuccessfully: attempts used up, failed without retry, or its parent failed. */
  FAILED,
  /** Cancelled before it finished. */
  CANCELLED;

  /** Whether the job will not change any more. */
  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** The database spelling. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Reads the database spelling. */
  public static JobState ofCode(String code) {
    return valueOf(code.toUpperCase(java.util.Locale.ROOT));
  }
}
