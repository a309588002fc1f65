package dev.fabula.examples.bookings;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment provider in memory, for the tour and the tests: it declines payment methods that start
 * with {@code declined}, and is idempotent by key as a real provider is. Thread-safe.
 */
public final class SimulatedPaymentGateway implements PaymentGateway {
  private final Map<String, String> captures = new ConcurrentHashMap<>();
  private final Map<String, String> refunds = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  @Override
  public String capture(String idempotencyKey, String paymentMethod, long amountCents) {
    calls.incrementAndGet();
    if (paymentMethod.startsWith("declined")) {
      throw new IllegalStateException("card declined");
    }
    return captures.computeIfAbsent(idempotencyKey, k -> "pay-" + (captures.size() + 1));
  }

  @Override
  public String refund(String paymentRef, long amountCents) {
    return refunds.computeIfAbsent(paymentRef, k -> "refund-" + (refunds.size() + 1));
  }

  /** Distinct payments captured (each charged once, however often it was asked). */
  public int captured() {
    return captures.size();
  }

  /** Distinct payments refunded. */
  public int refunded() {
    return refunds.size();
  }

  /** Capture calls, failed ones and repeats included. */
  public int captureCalls() {
    return calls.get();
  }
}
