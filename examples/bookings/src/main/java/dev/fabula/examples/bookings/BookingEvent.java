package dev.fabula.examples.bookings;

import dev.fabula.EventType;
import org.jspecify.annotations.Nullable;

/**
 * What happens to one booking, stored in its stream {@code booking-<tenant>:<bookingId>}. Amounts are
 * whole cents, so totals add up exactly.
 */
public sealed interface BookingEvent {

  /** The booking's id, unique within its tenant. */
  String bookingId();

  /** A client asked for a slot with a staff member; the slot is held until the saga ends. */
  @EventType("booking-requested")
  record BookingRequested(String bookingId, String staffId, String slot, String customer, String paymentMethod,
      long priceCents, String idempotencyKey) implements BookingEvent {}

  /** The payment provider captured the price. */
  @EventType("payment-captured")
  record PaymentCaptured(String bookingId, String paymentRef, long amountCents) implements BookingEvent {}

  /** Capturing the payment failed for good, after every retry. */
  @EventType("payment-failed")
  record PaymentFailed(String bookingId, String reason, int attempts) implements BookingEvent {}

  /** The customer was told: the booking is final. */
  @EventType("booking-confirmed")
  record BookingConfirmed(String bookingId) implements BookingEvent {}

  /** Sending the confirmation failed for good, after every retry. */
  @EventType("confirmation-failed")
  record ConfirmationFailed(String bookingId, String reason, int attempts) implements BookingEvent {}

  /** Compensation: a captured payment was paid back. */
  @EventType("payment-refunded")
  record PaymentRefunded(String bookingId, String paymentRef, String refundRef, long amountCents)
      implements BookingEvent {}

  /** The booking is off and its slot free again. */
  @EventType("booking-cancelled")
  record BookingCancelled(String bookingId, String reason) implements BookingEvent {}

  /**
   * A booking taken over from the legacy {@code bookings} table by the importer.
   *
   * @param status the legacy status: {@code completed} (paid) or {@code cancelled}
   */
  @EventType("booking-imported")
  record BookingImported(String bookingId, String staffId, String slot, String customer, long priceCents,
      String status, @Nullable Long legacyId) implements BookingEvent {}
}
