package dev.fabula.examples.bookings;

import dev.fabula.Aggregate;
import dev.fabula.Decision;
import dev.fabula.examples.bookings.BookingEvent.BookingCancelled;
import dev.fabula.examples.bookings.BookingEvent.BookingConfirmed;
import dev.fabula.examples.bookings.BookingEvent.BookingImported;
import dev.fabula.examples.bookings.BookingEvent.BookingRequested;
import dev.fabula.examples.bookings.BookingEvent.ConfirmationFailed;
import dev.fabula.examples.bookings.BookingEvent.PaymentCaptured;
import dev.fabula.examples.bookings.BookingEvent.PaymentFailed;
import dev.fabula.examples.bookings.BookingEvent.PaymentRefunded;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The booking decider: it owns one booking's life (request, payment, confirmation, compensation).
 * The saga's job handlers send it the outcome of each step; it decides which events follow, and it
 * makes every command idempotent (a step reported twice changes nothing), because jobs run at least
 * once. Slots are not its business: {@link StaffScheduleAggregate} owns them.
 */
public final class BookingAggregate
    implements Aggregate<BookingAggregate.Booking, BookingAggregate.Command, BookingEvent> {

  /** Where a booking is in its life. */
  public enum Status {
    /** No booking yet. */
    NONE,
    /** Requested; the slot is held and the payment is being captured. */
    REQUESTED,
    /** Paid; the confirmation is being sent. */
    PAID,
    /** Final. */
    CONFIRMED,
    /** Capturing the payment failed for good (passing: the compensation cancels in the same commit). */
    PAYMENT_FAILED,
    /** Confirming failed for good after the payment (passing: refunded and cancelled in the same commit). */
    CONFIRMATION_FAILED,
    /** Off; the slot is free again. */
    CANCELLED,
    /** Taken over from the legacy table, completed (paid). */
    IMPORTED
  }

  /**
   * A booking's state.
   *
   * @param paymentRef the captured payment, or null
   * @param refundRef the refund, or null
   */
  public record Booking(Status status, @Nullable BookingRequested request, @Nullable String paymentRef,
      @Nullable String refundRef, @Nullable String cancelReason) {
    static final Booking NONE = new Booking(Status.NONE, null, null, null, null);

    Booking with(Status value) {
      return new Booking(value, request, paymentRef, refundRef, cancelReason);
    }
  }

  /** What the platform and the saga ask of a booking. */
  public sealed interface Command {}

  /** A client's request; the idempotency key decides the booking id. */
  public record Request(BookingRequested request) implements Command {}

  /** The saga captured the payment. */
  public record RecordPayment(String paymentRef) implements Command {}

  /** The saga sent the confirmation. */
  public record Confirm() implements Command {}

  /**
   * A saga step failed for good: record it, refund what was captured (the refund's reference), cancel.
   *
   * @param failedAt where the booking waited when the step failed: REQUESTED (payment) or PAID
   *     (confirmation); a booking elsewhere has moved on, and the command changes nothing
   */
  public record Compensate(Status failedAt, String reason, int attempts, @Nullable String refundRef)
      implements Command {
    /** Validates. */
    public Compensate {
      if (failedAt != Status.REQUESTED && failedAt != Status.PAID) {
        throw new IllegalArgumentException("a saga step fails at REQUESTED or PAID, not " + failedAt);
      }
    }
  }

  @Override
  public String category() {
    return "booking";
  }

  @Override
  public Class<Booking> stateType() {
    return Booking.class;
  }

  @Override
  public Class<BookingEvent> eventType() {
    return BookingEvent.class;
  }

  @Override
  public Booking initialState() {
    return Booking.NONE;
  }

  @Override
  public Booking evolve(Booking state, BookingEvent event) {
    if (event instanceof BookingRequested requested) {
      return new Booking(Status.REQUESTED, requested, null, null, null);
    }
    if (event instanceof PaymentCaptured captured) {
      return new Booking(Status.PAID, state.request(), captured.paymentRef(), null, null);
    }
    if (event instanceof PaymentFailed) {
      return state.with(Status.PAYMENT_FAILED);
    }
    if (event instanceof ConfirmationFailed) {
      return state.with(Status.CONFIRMATION_FAILED);
    }
    if (event instanceof BookingConfirmed) {
      return state.with(Status.CONFIRMED);
    }
    if (event instanceof PaymentRefunded refunded) {
      return new Booking(state.status(), state.request(), state.paymentRef(), refunded.refundRef(), null);
    }
    if (event instanceof BookingCancelled cancelled) {
      return new Booking(Status.CANCELLED, state.request(), state.paymentRef(), state.refundRef(), cancelled.reason());
    }
    if (event instanceof BookingImported imported) {
      BookingRequested request = new BookingRequested(imported.bookingId(), imported.staffId(), imported.slot(),
          imported.customer(), "legacy", imported.priceCents(), "legacy-" + imported.legacyId());
      boolean cancelled = "cancelled".equals(imported.status());
      return new Booking(cancelled ? Status.CANCELLED : Status.IMPORTED, request, null, null,
          cancelled ? "cancelled in the legacy system" : null);
    }
    throw new IllegalArgumentException("unknown booking event " + event);
  }

  @Override
  public Decision<BookingEvent> decide(Booking state, Command command) {
    if (command instanceof Request r) {
      if (state.status() == Status.NONE) {
        return Decision.accept(r.request());
      }
      // A retried request (same idempotency key, same content) is accepted and changes nothing.
      return r.request().equals(state.request())
          ? Decision.accept()
          : Decision.reject("idempotency-key-reused",
              "idempotency key '" + r.request().idempotencyKey() + "' was used for another request");
    }
    if (command instanceof RecordPayment p) {
      if (state.status() == Status.REQUESTED) {
        return Decision.accept(new PaymentCaptured(id(state), p.paymentRef(), price(state)));
      }
      return p.paymentRef().equals(state.paymentRef())
          ? Decision.accept()
          : Decision.reject("not-awaiting-payment", "booking " + id(state) + " is " + state.status());
    }
    if (command instanceof Confirm) {
      return switch (state.status()) {
        case PAID -> Decision.accept(new BookingConfirmed(id(state)));
        case CONFIRMED -> Decision.accept();
        default -> Decision.reject("not-paid", "booking " + id(state) + " is " + state.status() + ", not paid");
      };
    }
    if (command instanceof Compensate c) {
      if (state.status() != c.failedAt()) {
        return Decision.accept(); // compensated before, or the step made it after all
      }
      boolean paid = c.failedAt() == Status.PAID;
      List<BookingEvent> events = new ArrayList<>();
      events.add(paid ? new ConfirmationFailed(id(state), c.reason(), c.attempts())
          : new PaymentFailed(id(state), c.reason(), c.attempts()));
      if (state.paymentRef() != null) {
        if (c.refundRef() == null) {
          return Decision.reject("refund-missing", "booking " + id(state) + " was paid: refund it first");
        }
        events.add(new PaymentRefunded(id(state), state.paymentRef(), c.refundRef(), price(state)));
      }
      events.add(new BookingCancelled(id(state), paid ? "confirmation failed" : "payment failed"));
      return Decision.accept(events);
    }
    throw new IllegalArgumentException("unknown booking command " + command);
  }

  private static String id(Booking state) {
    return state.request() == null ? "?" : state.request().bookingId();
  }

  private static long price(Booking state) {
    return state.request() == null ? 0 : state.request().priceCents();
  }
}
