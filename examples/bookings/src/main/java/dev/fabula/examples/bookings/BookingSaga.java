package dev.fabula.examples.bookings;

import dev.fabula.AggregateRepository;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.Transaction;
import dev.fabula.TransactionCallback;
import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import java.util.Objects;

/**
 * The booking saga, as job handlers. Its state is the booking stream itself; each step reads it,
 * does its side effect, and commits the step's events <em>with the next step's job and that job's
 * compensation</em> in one transaction (the outbox), so a crash between "event written" and "job
 * queued" cannot happen, and no step is ever queued without its undo.
 *
 * <pre>
 *   booking-requested ──► capture-payment ──► payment-captured ──► send-confirmation ──► booking-confirmed
 *                              │ (fails for good)                        │ (fails for good)
 *                              ▼                                         ▼
 *                      compensate-booking                         compensate-booking
 *              payment-failed, booking-cancelled,       confirmation-failed, payment-refunded,
 *                      slot-released                        booking-cancelled, slot-released
 * </pre>
 *
 * <p>A step that throws is retried by the queue's retry policy. Its compensation is a job queued
 * with {@link JobRequest#afterFailureOf}: the queue runs it when the step fails for good (attempts
 * used up, or its worker died on the last one) and cancels it when the step succeeds. Jobs run at
 * least once, so every handler is idempotent: it skips a booking that is past it, the payment
 * provider dedups by key, and the decider ignores a step reported twice.
 */
final class BookingSaga {

  /** The payload of every saga job. */
  record Step(String tenant, String bookingId) {}

  private static final int MAX_CONFLICTS = 20;

  private final BookingPlatform platform;
  private final PaymentGateway gateway;
  private final ConfirmationSender sender;

  BookingSaga(BookingPlatform platform, PaymentGateway gateway, ConfirmationSender sender) {
    this.platform = platform;
    this.gateway = gateway;
    this.sender = sender;
  }

  void registerOn(JobQueue queue) {
    queue.register(BookingPlatform.CAPTURE_PAYMENT, this::capturePayment);
    queue.register(BookingPlatform.SEND_CONFIRMATION, this::sendConfirmation);
    queue.register(BookingPlatform.COMPENSATE, this::compensate);
  }

  /**
   * Enqueues a step and, waiting for its failure, its compensation: both in the caller's
   * transaction. Unique keys keep one waiting job of each per step and booking: a retried request
   * whose events the store already holds finds its jobs there.
   */
  void enqueue(Transaction tx, String type, String tenant, String bookingId) {
    String key = type + ":" + BookingPlatform.key(tenant, bookingId);
    JobRequest step = JobRequest.of(type).withPayloadOf(new Step(tenant, bookingId)).withUniqueKey(key);
    long stepId = platform.queue().enqueue(tx, step).id();
    platform.queue().enqueue(tx, JobRequest.of(BookingPlatform.COMPENSATE).withPayload(step.payload())
        .withUniqueKey(BookingPlatform.COMPENSATE + ":" + key).afterFailureOf(stepId));
  }

  // ---- the steps ------------------------------------------------------------------------------

  private JobResult capturePayment(JobContext ctx) {
    Step step = ctx.payload(Step.class);
    Booking booking = load(step);
    if (booking.status() != Status.REQUESTED) {
      return skipped(booking);
    }
    // A decline throws: the queue retries, and when no attempt is left the compensation runs.
    String paymentRef = gateway.capture(key(step), booking.request().paymentMethod(), booking.request().priceCents());
    commit(step, "payment-captured", tx -> {
      boolean recorded = changed(bookings(step).handle(tx, key(step),
          new BookingAggregate.RecordPayment(paymentRef), metadata(step, ctx)));
      if (recorded) {
        enqueue(tx, BookingPlatform.SEND_CONFIRMATION, step.tenant(), step.bookingId());
      }
      return recorded;
    });
    return JobResult.success("{\"paymentRef\":\"" + paymentRef + "\"}");
  }

  private JobResult sendConfirmation(JobContext ctx) {
    Step step = ctx.payload(Step.class);
    Booking booking = load(step);
    if (booking.status() != Status.PAID) {
      return skipped(booking);
    }
    sender.send(step.tenant(), booking.request()); // throws: retried, then compensated
    if (commit(step, "booking-confirmed", tx -> changed(bookings(step).handle(tx, key(step),
        new BookingAggregate.Confirm(), metadata(step, ctx))))) {
      platform.settled(step.tenant(), step.bookingId(), Status.CONFIRMED);
    }
    return JobResult.success();
  }

  /**
   * Runs when a step failed for good: records the failure, refunds a captured payment, cancels the
   * booking and frees its slot, all in one transaction. Does nothing if the booking moved past the
   * step after all (its commit made it, but its worker died before reporting success).
   */
  private JobResult compensate(JobContext ctx) {
    Step step = ctx.payload(Step.class);
    Job failed = platform.queue().job(ctx.parentId().orElseThrow()).orElseThrow();
    Status failedAt = failed.type().equals(BookingPlatform.CAPTURE_PAYMENT) ? Status.REQUESTED : Status.PAID;
    Booking booking = load(step);
    if (booking.status() != failedAt) {
      return skipped(booking);
    }
    String refundRef = booking.paymentRef() == null ? null
        : gateway.refund(booking.paymentRef(), booking.request().priceCents()); // idempotent by payment
    BookingAggregate.Compensate command = new BookingAggregate.Compensate(failedAt,
        Objects.requireNonNullElse(failed.lastError(), failed.state().toString()), failed.attempt(), refundRef);
    String staffId = booking.request().staffId();
    CommandMetadata metadata = metadata(step, ctx);
    boolean cancelled = commit(step, "booking-cancelled", tx -> {
      if (!changed(bookings(step).handle(tx, key(step), command, metadata))) {
        return false;
      }
      platform.schedules(platform.store().forTenant(step.tenant())).handle(tx, BookingPlatform.key(step.tenant(), staffId),
          new StaffScheduleAggregate.Release(staffId, booking.request().slot(), step.bookingId()), metadata).orThrow();
      return true;
    });
    if (cancelled) {
      platform.settled(step.tenant(), step.bookingId(), Status.CANCELLED);
    }
    return JobResult.success(refundRef == null ? "{}" : "{\"refundRef\":\"" + refundRef + "\"}");
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * Runs {@code unit} in one transaction of the step's tenant and returns its result; runs it again
   * when another writer changed one of its streams first (it decides on fresh state each time).
   */
  private boolean commit(Step step, String stepName, TransactionCallback<Boolean, RuntimeException> unit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return platform.store().forTenant(step.tenant()).inTransaction(tx -> {
          boolean changed = unit.inTransaction(tx);
          platform.config().faults().beforeCommit(stepName, step.bookingId());
          return changed;
        });
      } catch (ConcurrencyException e) {
        if (attempt >= MAX_CONFLICTS) {
          throw e;
        }
      }
    }
  }

  private AggregateRepository<Booking, BookingAggregate.Command, BookingEvent> bookings(Step step) {
    return platform.bookings(platform.store().forTenant(step.tenant()));
  }

  private static String key(Step step) {
    return BookingPlatform.key(step.tenant(), step.bookingId());
  }

  private Booking load(Step step) {
    return bookings(step).load(key(step)).state();
  }

  /** Whether an accepted command wrote events (false: the step was done before); a rejection throws. */
  private static boolean changed(CommandResult<?> result) {
    return !result.orThrow().events().isEmpty();
  }

  private static CommandMetadata metadata(Step step, JobContext ctx) {
    return CommandMetadata.of("job-" + ctx.jobId()).withCorrelationId(step.bookingId()).withActor("saga:" + ctx.type());
  }

  private static JobResult skipped(Booking booking) {
    return JobResult.success("{\"skipped\":\"booking is " + booking.status() + "\"}");
  }
}
