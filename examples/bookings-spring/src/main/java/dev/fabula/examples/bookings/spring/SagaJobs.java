package dev.fabula.examples.bookings.spring;

import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.Transaction;
import dev.fabula.examples.bookings.BookingPlatform;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The saga's jobs, as in the plain example: each step ({@code capture-payment}, {@code
 * send-confirmation}) is enqueued together with a {@code compensate-booking} job that waits for its
 * failure ({@link JobRequest#afterFailureOf}), in the caller's unit of work, so no step is ever
 * queued without its undo. The handlers are the {@code @JobType} beans {@link CapturePayment},
 * {@link SendConfirmation} and {@link CompensateBooking}; the starter's worker pool registers them.
 */
@Component
public class SagaJobs {

  /** The payload of every saga job. */
  public record Step(String tenant, String bookingId) {
    /** The aggregate id of the booking. */
    String key() {
      return BookingPlatform.key(tenant, bookingId);
    }
  }

  private static final int MAX_CONFLICTS = 20;

  private final JobQueue queue;

  SagaJobs(JobQueue queue) {
    this.queue = queue;
  }

  /**
   * Enqueues a step and its compensation in {@code tx}. Unique keys keep one waiting job of each
   * per step and booking.
   */
  void enqueue(Transaction tx, String type, String tenant, String bookingId) {
    String key = type + ":" + BookingPlatform.key(tenant, bookingId);
    JobRequest step = JobRequest.of(type).withPayloadOf(new Step(tenant, bookingId)).withUniqueKey(key);
    long stepId = queue.enqueue(tx, step).id();
    queue.enqueue(tx, JobRequest.of(BookingPlatform.COMPENSATE).withPayload(step.payload())
        .withUniqueKey(BookingPlatform.COMPENSATE + ":" + key).afterFailureOf(stepId));
  }

  /**
   * Runs {@code transaction} (a call of a {@code @Transactional} method) again when another writer
   * changed one of its streams first: the failed attempt rolled back as a whole, and the next one
   * decides on fresh state. Inside a Spring transaction the store retries nothing itself.
   */
  static <T> T retryOnConflict(Supplier<T> transaction) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.get();
      } catch (ConcurrencyException e) {
        if (attempt >= MAX_CONFLICTS) {
          throw e;
        }
      }
    }
  }

  /** Who wrote a step's events: the job, for the events' metadata. */
  static CommandMetadata metadata(Step step, JobContext ctx) {
    return CommandMetadata.of("job-" + ctx.jobId()).withCorrelationId(step.bookingId()).withActor("saga:" + ctx.type());
  }

  /** Whether an accepted command wrote events (false: the step was done before); a rejection throws. */
  static boolean changed(CommandResult<?> result) {
    return !result.orThrow().events().isEmpty();
  }
}
