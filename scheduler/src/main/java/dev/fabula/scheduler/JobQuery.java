package dev.fabula.scheduler;

import dev.fabula.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Which jobs {@link JobQueue#list} returns: filters (null for any), oldest first, a page at a
 * time.
 *
 * <pre>{@code
 * queue.list(JobQuery.ALL.withState(JobState.FAILED).withType("send-receipt").withLimit(50));
 * }</pre>
 *
 * @param state only jobs in this state
 * @param type only jobs of this type
 * @param queue only jobs of this queue
 * @param afterId only jobs with a larger id (the last id of the previous page)
 * @param limit the most jobs returned, 1 to 10,000
 */
public record JobQuery(@Nullable JobState state, @Nullable String type, @Nullable String queue, long afterId, int limit) {

  /** Every job, the first 100. */
  public static final JobQuery ALL = new JobQuery(null, null, null, 0, 100);

  /** Validates the page. */
  public JobQuery {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidInputException("limit must be between 1 and 10000 but was " + limit);
    }
  }

  /** Returns a copy for another state. */
  public JobQuery withState(@Nullable JobState value) {
    return new JobQuery(value, type, queue, afterId, limit);
  }

  /** Returns a copy for another type. */
  public JobQuery withType(@Nullable String value) {
    return new JobQuery(state, value, queue, afterId, limit);
  }

  /** Returns a copy for another queue. */
  public JobQuery withQueue(@Nullable String value) {
    return new JobQuery(state, type, value, afterId, limit);
  }

  /** Returns a copy for the page after job {@code value}. */
  public JobQuery withAfterId(long value) {
    return new JobQuery(state, type, queue, value, limit);
  }

  /** Returns a copy with another page size. */
  public JobQuery withLimit(int value) {
    return new JobQuery(state, type, queue, afterId, value);
  }
}
