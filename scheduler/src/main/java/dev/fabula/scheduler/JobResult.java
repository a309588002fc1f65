package dev.fabula.scheduler;

import dev.fabula.InvalidInputException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link JobHandler} decided about its attempt. Return one, or throw {@link #toException()}
 * from deep inside the handler's code.
 */
public sealed interface JobResult {

  /** The job succeeded. */
  static JobResult success() {
    return new Success(null);
  }

  /**
   * The job succeeded with an output, kept on the job and in its history.
   *
   * @param outputJson any JSON value
   */
  static JobResult success(String outputJson) {
    JobRequest.checkJson(outputJson, "the job output");
    return new Success(outputJson);
  }

  /**
   * Run the job again after {@code delay}; this attempt does not count against its attempts.
   *
   * @throws InvalidInputException if the delay is negative
   */
  static JobResult snooze(Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new InvalidInputException("a snooze delay must be zero or positive but was " + delay);
    }
    return new Snooze(delay);
  }

  /** Fail the job now, without the retries it has left; the reason is kept as its error. */
  static JobResult failWithoutRetry(String reason) {
    return new Fail(reason == null ? "failed without retry" : reason);
  }

  /** An exception that carries this result out of a handler. */
  default JobResultException toException() {
    return new JobResultException(this);
  }

  /** The job succeeded. @param output its JSON output, or null */
  record Success(@Nullable String output) implements JobResult {}

  /** Run again after a delay, not counting the attempt. @param delay how long to wait */
  record Snooze(Duration delay) implements JobResult {}

  /** Fail now without retry. @param reason kept as the job's error */
  record Fail(String reason) implements JobResult {}
}
