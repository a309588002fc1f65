package dev.fabula.examples.bookings;

import dev.fabula.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * What a booking request got: a booking (the same one for every retry of one idempotency key) or a
 * refusal with a business reason ({@code slot-taken}, {@code idempotency-key-reused}).
 *
 * @param bookingId the booking the idempotency key stands for
 * @param receipt what was booked, or null if refused
 * @param rejection why it was refused, or null if booked
 */
public record RequestOutcome(String bookingId, @Nullable Receipt receipt, @Nullable Rejection rejection) {

  /**
   * What the client gets back for a booked request.
   *
   * @param bookingId the booking
   * @param staffId who is booked
   * @param slot the slot's start, ISO local date-time
   * @param priceCents the price
   */
  public record Receipt(String bookingId, String staffId, String slot, long priceCents) {}

  /** Whether the request is booked. */
  public boolean booked() {
    return receipt != null;
  }
}
