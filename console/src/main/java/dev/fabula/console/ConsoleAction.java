package dev.fabula.console;

/**
 * What a console user may do besides reading: each button of the console is one action, checked
 * on the server against the user's {@link ConsoleUser#allowed() permissions} and the console's
 * {@link ConsoleConfig#readOnly() read-only mode}, and recorded in the audit table.
 */
public enum ConsoleAction {
  /** Retry the parked events of one stream of a projection. */
  RETRY_PARKED,
  /** Dismiss one parked event: it will never be applied. */
  DISMISS_PARKED,
  /** Rebuild a projection version from the start of the log. */
  REBUILD_PROJECTION,
  /**
   * Blue/green: make a projection version the one readers use ({@code Projections.promote}); the
   * console refuses a version that has not caught up with the head of the log.
   */
  PROMOTE_PROJECTION,
  /** Let a FAILED projection run again. */
  RESUME_PROJECTION,
  /** Put a failed or cancelled job back in the queue. */
  RETRY_JOB,
  /** Cancel a job that has not finished. */
  CANCEL_JOB,
  /** Move a waiting or pending job to another run time. */
  RESCHEDULE_JOB,
  /** Pause or resume one schedule. */
  PAUSE_SCHEDULE,
  /** Pause or resume one queue (and with it the schedules that feed it). */
  PAUSE_QUEUE,
  /** Turn the kill switch on or off: every process stops or resumes starting jobs. */
  KILL_SWITCH,
  /**
   * Run one of the migration parity checks the application registered ({@code
   * Console.Builder.parityCheck}): it only reads, but both of its queries may be heavy.
   */
  RUN_PARITY_CHECK
}
