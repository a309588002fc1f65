package dev.fabula.scheduler.spi;

import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobRun;
import java.time.Instant;

/**
 * Hears what the worker pools of one {@link dev.fabula.scheduler.JobQueue} in this process do, for
 * metrics: what {@code stats()} cannot tell (when each run started against when its job was due,
 * how long it ran and how it ended, rescues). Register one with {@link
 * dev.fabula.scheduler.JobQueue#observe}; the {@code fabula-metrics} module does.
 *
 * <p><b>Contract.</b> {@link #ran} is called on the handler's thread as its run ends, before the
 * outcome is written (a write that then fails is retried; an outcome whose lease was lost meanwhile
 * is not recorded, and is still heard here); {@link #rescued} on the pool's dispatcher after the
 * rescue committed. Keep them fast; never call back into the queue. What an observer throws is
 * logged and ignored; a fatal error ({@code OutOfMemoryError}) is rethrown after the others heard.
 * Every method has a no-op default, so the interface can grow. Implementations must be
 * thread-safe.
 */
public interface JobObserver {

  /**
   * A handler run ended.
   *
   * @param job the job as claimed for this run: its queue, type, attempt, and {@link Job#runAt()},
   *     when it was due
   * @param started when the handler started
   * @param finished when it returned or threw
   * @param outcome {@code SUCCEEDED}, {@code FAILED} (it threw, or asked to fail) or {@code SNOOZED}
   * @param retrying whether a failed run leaves the job another attempt (false for the last one,
   *     and for a handler that asked to fail without retry)
   */
  default void ran(Job job, Instant started, Instant finished, JobRun.Outcome outcome, boolean retrying) {}

  /**
   * Maintenance rescued a job whose lease expired (its worker crashed, froze or lost the
   * database).
   *
   * @param job the job as it was before the rescue
   * @param failed whether it had no attempts left, so failed; otherwise it is due again
   */
  default void rescued(Job job, boolean failed) {}
}
