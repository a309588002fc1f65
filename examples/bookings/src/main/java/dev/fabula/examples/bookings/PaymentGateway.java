package dev.fabula.examples.bookings;

/**
 * The payment provider the saga talks to. Implementations must be idempotent by key: the saga's
 * jobs run at least once, so the same capture may be asked for twice.
 */
public interface PaymentGateway {

  /**
   * Captures {@code amountCents} and returns the payment's reference; the same key returns the same
   * reference and charges once.
   *
   * @throws RuntimeException when the capture failed (the saga retries, then compensates)
   */
  String capture(String idempotencyKey, String paymentMethod, long amountCents);

  /** Pays a captured payment back; returns the refund's reference (the same for the same payment). */
  String refund(String paymentRef, long amountCents);
}
