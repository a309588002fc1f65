package dev.fabula.examples.bookings.spring;

import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.BookingPlatform;
import dev.fabula.examples.bookings.ConfirmationSender;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobResult;
import dev.fabula.spring.boot.autoconfigure.JobType;
import org.springframework.stereotype.Component;

/** The saga's second step: sends the confirmation, then confirms the booking. A send that throws is retried, then compensated. */
@Component
@JobType(BookingPlatform.SEND_CONFIRMATION)
class SendConfirmation implements JobHandler {
  private final BookingRepositories repositories;
  private final BookingTransactions transactions;
  private final ConfirmationSender sender;

  SendConfirmation(BookingRepositories repositories, BookingTransactions transactions, ConfirmationSender sender) {
    this.repositories = repositories;
    this.transactions = transactions;
    this.sender = sender;
  }

  @Override
  public JobResult handle(JobContext ctx) {
    SagaJobs.Step step = ctx.payload(SagaJobs.Step.class);
    Booking booking = repositories.bookings(step.tenant()).load(step.key()).state();
    if (booking.status() != Status.PAID) {
      return CapturePayment.skipped(booking);
    }
    sender.send(step.tenant(), booking.request());
    SagaJobs.retryOnConflict(() -> transactions.confirmed(step, SagaJobs.metadata(step, ctx)));
    return JobResult.success();
  }
}
