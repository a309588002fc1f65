package dev.fabula.examples.bookings;

import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.ConcurrencyException;
import dev.fabula.Decision;
import dev.fabula.EventStore;
import dev.fabula.Metadata;
import dev.fabula.StreamAppend;
import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.StaffScheduleAggregate.Schedule;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.EventTypes;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The booking saga, as three job handlers. Its state is the booking stream itself; each step reads
 * it, does its side effect, and commits the step's events <em>with the next step's job</em> in one
 * transaction (the outbox), so a crash between "event written" and "job queued" cannot happen.
 *
 * <pre>
 *   booking-requested ──► capture-payment ──► payment-captured ──► send-confirmation ──► booking-confirmed
 *                              │ (fails for good)                        │ (fails for good)
 *                              ▼                                         ▼
 *                         payment-failed ──► compensate-booking ◄── confirmation-failed
 *                                                  │
 *                                                  ▼
 *                      payment-refunded (if paid), booking-cancelled, slot-released
 * </pre>
 *
 * <p>A step that throws is retried by the queue's retry policy; on its last attempt it records the
 * failure and queues the compensation instead. Jobs run at least once, so every step is idempotent:
 * it skips a booking that is past it, the payment provider dedups by key, and events have
 * deterministic ids.
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
    queue.register(BookingPlatform.SWEEP, ctx -> JobResult.success("{\"compensated\":" + sweep(ctx.jobId()) + "}"));
  }

  JobRequest job(String type, String tenant, String bookingId) {
    // The unique key keeps one waiting job per step and booking, whoever enqueues it.
    return JobRequest.of(type).withPayloadOf(new Step(tenant, bookingId))
        .withUniqueKey(type + ":" + BookingPlatform.key(tenant, bookingId));
  }

  // ---- the steps ------------------------------------------------------------------------------

  private JobResult capturePayment(JobContext ctx) {
    Step step = ctx.payload(Step.class);
    Booking booking = load(step).state();
    if (booking.status() != Status.REQUESTED) {
      return skipped(booking);
    }
    String paymentRef;
    try {
      paymentRef = gateway.capture(BookingPlatform.key(step.tenant(), step.bookingId()),
          booking.request().paymentMethod(), booking.request().priceCents());
    } catch (RuntimeException e) {
      if (ctx.attempt() < ctx.maxAttempts()) {
        throw e; // the queue retries after its backoff
      }
      decideAndCommit(step, ctx, new BookingAggregate.RecordStepFailure(e.getMessage(), ctx.attempt()),
          BookingPlatform.COMPENSATE, "payment-failed");
      return JobResult.failWithoutRetry("payment failed for good after " + ctx.attempt() + " attempts ("
          + e.getMessage() + "); compensation queued");
    }
    decideAndCommit(step, ctx, new BookingAggregate.RecordPayment(paymentRef), BookingPlatform.SEND_CONFIRMATION,
        "payment-captured");
    return JobResult.success("{\"paymentRef\":\"" + paymentRef + "\"}");
  }

  private JobResult sendConfirmation(JobContext ctx) {
    Step step = ctx.payload(Step.class);
    Booking booking = load(step).state();
    if (booking.status() != Status.PAID) {
      return skipped(booking);
    }
    try {
      sender.send(step.tenant(), booking.request());
    } catch (RuntimeException e) {
      if (ctx.attempt() < ctx.maxAttempts()) {
        throw e;
      }
      decideAndCommit(step, ctx, new BookingAggregate.RecordStepFailure(e.getMessage(), ctx.attempt()),
          BookingPlatform.COMPENSATE, "confirmation-failed");
      return JobResult.failWithoutRetry("confirmation failed for good after " + ctx.attempt() + " attempts ("
          + e.getMessage() + "); compensation queued");
    }
    if (decideAndCommit(step, ctx, new BookingAggregate.Confirm(), null, "booking-confirmed")) {
      platform.settled(step.tenant(), step.bookingId(), Status.CONFIRMED);
    }
    return JobResult.success();
  }

  /** Refunds a captured payment, cancels the booking and frees its slot: all or nothing. */
  private JobResult compensate(JobContext ctx) {
    Step step = ctx.payload(Step.class);
    EventStore view = platform.store().forTenant(step.tenant());
    AggregateRepository<Booking, BookingAggregate.Command, BookingEvent> bookings = platform.bookings(view);
    AggregateRepository<Schedule, StaffScheduleAggregate.Command, ScheduleEvent> schedules = platform.schedules(view);
    for (int attempt = 1; ; attempt++) {
      AggregateState<Booking> booking = bookings.load(BookingPlatform.key(step.tenant(), step.bookingId()));
      Booking state = booking.state();
      if (state.status() == Status.CANCELLED) {
        return skipped(state);
      }
      String refundRef = state.paymentRef() == null ? null
          : gateway.refund(state.paymentRef(), state.request().priceCents()); // idempotent by payment
      String reason = state.status() == Status.PAYMENT_FAILED ? "payment failed" : "confirmation failed";
      List<BookingEvent> cancel = accepted(BookingPlatform.BOOKING.decide(state,
          new BookingAggregate.Compensate(reason, refundRef)));
      String staffId = state.request().staffId();
      AggregateState<Schedule> schedule = schedules.load(BookingPlatform.key(step.tenant(), staffId));
      List<ScheduleEvent> release = accepted(BookingPlatform.SCHEDULE.decide(schedule.state(),
          new StaffScheduleAggregate.Release(staffId, state.request().slot(), step.bookingId())));
      Metadata metadata = metadata(step, ctx);
      List<StreamAppend> appends = new ArrayList<>();
      appends.add(new StreamAppend(booking.streamId(), BookingPlatform.expected(booking.version()),
          BookingPlatform.eventData(booking.streamId(), step.bookingId(), cancel, metadata)));
      if (!release.isEmpty()) {
        appends.add(new StreamAppend(schedule.streamId(), BookingPlatform.expected(schedule.version()),
            BookingPlatform.eventData(schedule.streamId(), step.bookingId(), release, metadata)));
      }
      try {
        view.inTransaction(tx -> {
          tx.appendAll(appends);
          platform.config().faults().beforeCommit("booking-cancelled", step.bookingId());
          return null;
        });
        platform.settled(step.tenant(), step.bookingId(), Status.CANCELLED);
        return JobResult.success(refundRef == null ? "{}" : "{\"refundRef\":\"" + refundRef + "\"}");
      } catch (ConcurrencyException e) {
        if (attempt >= MAX_CONFLICTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Finds steps that failed for good without recording it, and compensates them. A step records its
   * own failure on its last attempt, but not if that attempt never finished (its worker died and
   * the lease expired with no attempt left) or if recording it failed: the job is then FAILED while
   * the booking still waits. Runs from a recurring schedule; returns how many it compensated.
   */
  int sweep(long sweepJobId) {
    int compensated = 0;
    for (String type : List.of(BookingPlatform.CAPTURE_PAYMENT, BookingPlatform.SEND_CONFIRMATION)) {
      Status waiting = type.equals(BookingPlatform.CAPTURE_PAYMENT) ? Status.REQUESTED : Status.PAID;
      long after = 0;
      while (true) {
        List<Job> failed = platform.jobQueue().list(JobQuery.ALL.withType(type).withState(JobState.FAILED)
            .withAfterId(after).withLimit(500));
        if (failed.isEmpty()) {
          break;
        }
        for (Job job : failed) {
          after = Math.max(after, job.id());
          Step step = EventTypes.defaultMapper().convertValue(readTree(job.payload()), Step.class);
          if (load(step).state().status() == waiting
              && decideAndCommit(step, metadata(step, sweepJobId, BookingPlatform.SWEEP),
                  new BookingAggregate.RecordStepFailure("step abandoned: " + job.lastError(), job.attempt()),
                  BookingPlatform.COMPENSATE, type.equals(BookingPlatform.CAPTURE_PAYMENT) ? "payment-failed" : "confirmation-failed")) {
            compensated++;
          }
        }
      }
    }
    return compensated;
  }

  private static JsonNode readTree(String json) {
    try {
      return EventTypes.defaultMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a saga job's payload is not JSON: " + json, e);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * Loads the booking, decides {@code command}, and commits its events together with the next
   * step's job (if any). Returns whether events were written (false: a repeated step, already done).
   */
  private boolean decideAndCommit(Step step, JobContext ctx, BookingAggregate.Command command,
      @Nullable String nextJob, String stepName) {
    return decideAndCommit(step, metadata(step, ctx), command, nextJob, stepName);
  }

  private boolean decideAndCommit(Step step, Metadata metadata, BookingAggregate.Command command,
      @Nullable String nextJob, String stepName) {
    EventStore view = platform.store().forTenant(step.tenant());
    AggregateRepository<Booking, BookingAggregate.Command, BookingEvent> bookings = platform.bookings(view);
    for (int attempt = 1; ; attempt++) {
      AggregateState<Booking> booking = bookings.load(BookingPlatform.key(step.tenant(), step.bookingId()));
      List<BookingEvent> events = accepted(BookingPlatform.BOOKING.decide(booking.state(), command));
      if (events.isEmpty()) {
        return false;
      }
      try {
        view.inTransaction(tx -> {
          tx.append(booking.streamId(), BookingPlatform.expected(booking.version()),
              BookingPlatform.eventData(booking.streamId(), step.bookingId(), events, metadata));
          if (nextJob != null) {
            platform.jobQueue().enqueue(tx, job(nextJob, step.tenant(), step.bookingId()));
          }
          platform.config().faults().beforeCommit(stepName, step.bookingId());
          return null;
        });
        return true;
      } catch (ConcurrencyException e) {
        if (attempt >= MAX_CONFLICTS) {
          throw e;
        }
      }
    }
  }

  private AggregateState<Booking> load(Step step) {
    return platform.bookings(platform.store().forTenant(step.tenant()))
        .load(BookingPlatform.key(step.tenant(), step.bookingId()));
  }

  private static <E> List<E> accepted(Decision<E> decision) {
    if (decision instanceof Decision.Reject<E> rejected) {
      throw new IllegalStateException(rejected.rejection().code() + ": " + rejected.rejection().message());
    }
    return ((Decision.Accept<E>) decision).events();
  }

  private static Metadata metadata(Step step, JobContext ctx) {
    return metadata(step, ctx.jobId(), ctx.type());
  }

  private static Metadata metadata(Step step, long jobId, String jobType) {
    return Metadata.EMPTY.withCorrelationId(step.bookingId()).withCausationId("job-" + jobId)
        .withActor("saga:" + jobType);
  }

  private static JobResult skipped(Booking booking) {
    return JobResult.success("{\"skipped\":\"booking is " + booking.status() + "\"}");
  }
}
