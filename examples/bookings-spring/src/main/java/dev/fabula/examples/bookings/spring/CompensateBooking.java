package dev.fabula.examples.bookings.spring;

import dev.fabula.examples.bookings.BookingAggregate;
import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.BookingPlatform;
import dev.fabula.examples.bookings.PaymentGateway;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobResult;
import dev.fabula.spring.boot.autoconfigure.JobType;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Runs when a step failed for good: records the failure, refunds a captured payment, cancels the
 * booking and frees its slot, all in one transaction. Does nothing if the booking moved past the
 * step after all (its commit made it, but its worker died before reporting success).
 */
@Component
@JobType(BookingPlatform.COMPENSATE)
class CompensateBooking implements JobHandler {
  private final BookingRepositories repositories;
  private final BookingTransactions transactions;
  private final PaymentGateway gateway;
  private final JobQueue queue;

  CompensateBooking(BookingRepositories repositories, BookingTransactions transactions, PaymentGateway gateway,
      JobQueue queue) {
    this.repositories = repositories;
    this.transactions = transactions;
    this.gateway = gateway;
    this.queue = queue;
  }

  @Override
  public JobResult handle(JobContext ctx) {
    SagaJobs.Step step = ctx.payload(SagaJobs.Step.class);
    Job failed = queue.job(ctx.parentId().orElseThrow()).orElseThrow();
    Status failedAt = failed.type().equals(BookingPlatform.CAPTURE_PAYMENT) ? Status.REQUESTED : Status.PAID;
    Booking booking = repositories.bookings(step.tenant()).load(step.key()).state();
    if (booking.status() != failedAt) {
      return CapturePayment.skipped(booking);
    }
    String refundRef = booking.paymentRef() == null ? null
        : gateway.refund(booking.paymentRef(), booking.request().priceCents()); // idempotent by payment
    BookingAggregate.Compensate command = new BookingAggregate.Compensate(failedAt,
        Objects.requireNonNullElse(failed.lastError(), failed.state().toString()), failed.attempt(), refundRef);
    SagaJobs.retryOnConflict(() -> transactions.cancelled(step, command, booking.request(), SagaJobs.metadata(step, ctx)));
    return JobResult.success(refundRef == null ? "{}" : "{\"refundRef\":\"" + refundRef + "\"}");
  }
}
