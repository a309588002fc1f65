package dev.fabula.scheduler;

/**
 * Carries a {@link JobResult} out of a handler by throwing: {@code throw
 * JobResult.failWithoutRetry("unknown customer").toException();}. The worker records the result
 * as if the handler had returned it.
 */
public final class JobResultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient JobResult result;

  /** Creates the exception for {@code result}. */
  public JobResultException(JobResult result) {
    super("job result: " + result, null, false, false);
    this.result = result;
  }

  /** The result to record. */
  public JobResult result() {
    return result;
  }
}
