package dev.fabula.scheduler;

/**
 * Runs jobs of one type. Register it with {@link JobQueue#register(String, JobHandler)}.
 *
 * <pre>{@code
 * queue.register("send-receipt", ctx -> {
 *   Receipt r = ctx.payload(Receipt.class);
 *   if (!ctx.stillOwnsLease()) return JobResult.success();   // taken over: do not send twice
 *   mailer.send(r);
 *   return JobResult.success();
 * });
 * }</pre>
 *
 * <p>Return {@link JobResult#success()}, or {@link JobResult#snooze}/{@link
 * JobResult#failWithoutRetry} (also by throwing {@link JobResult#toException()}). Any other
 * exception fails the attempt and the job is retried as its {@link RetryPolicy} says.
 *
 * <p>A job may run more than once (at-least-once): after a crash, a lost lease or a failed
 * completion write, it runs again. Make handlers idempotent, or check {@link
 * JobContext#stillOwnsLease()} right before a side effect. Handlers run on the pool's threads
 * and are interrupted when their lease is lost or the pool's shutdown timeout passes.
 */
@FunctionalInterface
public interface JobHandler {

  /**
   * Runs one attempt of a job.
   *
   * @param context the job and its attempt
   * @return the outcome
   * @throws Exception to fail the attempt (retried per the job type's policy)
   */
  JobResult handle(JobContext context) throws Exception;
}
