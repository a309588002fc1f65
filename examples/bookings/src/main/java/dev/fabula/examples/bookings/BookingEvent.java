package dev.fabula.examples.bookings;

import dev.fabula.DataSubject;
import dev.fabula.EventType;
import dev.fabula.PersonalData;
import org.jspecify.annotations.Nullable;

/**
 * What happens to one booking, stored in its stream {@code booking-<tenant>:<bookingId>}. Amounts are
 * whole cents, so totals add up exactly.
 *
 * <p>The customer's e-mail address is personal data ({@link PersonalData}): stored encrypted with a
 * key of the booking's own, its data subject ({@link DataSubject}), because the platform has no
 * customer accounts and knows a guest only by a booking. Erasing the booking's subject
 * ({@code Erasure.subject(bookingId)}) makes the address read back as {@code null} for good.
 */
public sealed interface BookingEvent {

  /** The booking's id, unique within its tenant. */
  String bookingId();

  /** A client asked for a slot with a staff member; the slot is held until the saga ends. */
  @EventType("booking-requested")
  record BookingRequested(@DataSubject String bookingId, String staffId, String slot, @PersonalData String customer,
      String paymentMethod,
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
  record BookingImported(@DataSubject String bookingId, String staffId, String slot, @PersonalData String customer,
      long priceCents,
      String status, @Nullable Long legacyId) implements BookingEvent {}
}
