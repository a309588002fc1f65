package dev.fabula.examples.bookings.spring;

import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.BookingPlatform;
import dev.fabula.examples.bookings.PaymentGateway;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobResult;
import dev.fabula.spring.boot.autoconfigure.JobType;
import org.springframework.stereotype.Component;

/**
 * The saga's first step: captures the payment, then records it with the next step in one
 * transaction. A decline throws: the queue retries, and when no attempt is left the compensation
 * runs. Idempotent: a booking past this step is skipped, and the provider dedups by key.
 */
@Component
@JobType(BookingPlatform.CAPTURE_PAYMENT)
class CapturePayment implements JobHandler {
  private final BookingRepositories repositories;
  private final BookingTransactions transactions;
  private final PaymentGateway gateway;

  CapturePayment(BookingRepositories repositories, BookingTransactions transactions, PaymentGateway gateway) {
    this.repositories = repositories;
    this.transactions = transactions;
    this.gateway = gateway;
  }

  @Override
  public JobResult handle(JobContext ctx) {
    SagaJobs.Step step = ctx.payload(SagaJobs.Step.class);
    Booking booking = repositories.bookings(step.tenant()).load(step.key()).state();
    if (booking.status() != Status.REQUESTED) {
      return skipped(booking);
    }
    String paymentRef = gateway.capture(step.key(), booking.request().paymentMethod(), booking.request().priceCents());
    SagaJobs.retryOnConflict(() -> transactions.paymentCaptured(step, paymentRef, SagaJobs.metadata(step, ctx)));
    return JobResult.success("{\"paymentRef\":\"" + paymentRef + "\"}");
  }

  static JobResult skipped(Booking booking) {
    return JobResult.success("{\"skipped\":\"booking is " + booking.status() + "\"}");
  }
}
