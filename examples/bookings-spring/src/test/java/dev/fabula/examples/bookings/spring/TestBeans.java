package dev.fabula.examples.bookings.spring;

import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.BookingPlatform.SettledBooking;
import dev.fabula.examples.bookings.PaymentGateway;
import dev.fabula.examples.bookings.PlatformConfig.FaultInjector;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * What the tests put beside the application: a payment provider that counts per booking, crashes
 * injected per booking, and a listener of settled bookings. The tests share one application (and
 * database) per backend, so every check is per tenant, and each test has tenants of its own.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestBeans {

  @Bean
  @Primary
  CountingGateway countingGateway() {
    return new CountingGateway();
  }

  @Bean
  @Primary
  Crashes crashes() {
    return new Crashes();
  }

  @Bean
  Settled settled() {
    return new Settled();
  }

  /** A payment provider in memory, idempotent by key, that declines {@code declined…} methods and counts per tenant. */
  static final class CountingGateway implements PaymentGateway {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> captures = new ConcurrentHashMap<>();
    private final Set<String> refunds = ConcurrentHashMap.newKeySet();

    @Override
    public String capture(String idempotencyKey, String paymentMethod, long amountCents) {
      calls.computeIfAbsent(idempotencyKey, k -> new AtomicInteger()).incrementAndGet();
      if (paymentMethod.startsWith("declined")) {
        throw new IllegalStateException("card declined");
      }
      return captures.computeIfAbsent(idempotencyKey, k -> "pay-" + k);
    }

    @Override
    public String refund(String paymentRef, long amountCents) {
      refunds.add(paymentRef);
      return "refund-" + paymentRef;
    }

    /** Capture calls for a tenant's bookings, failed ones and repeats included. */
    int captureCalls(String tenant) {
      return calls.entrySet().stream().filter(e -> e.getKey().startsWith(tenant + ":")).mapToInt(e -> e.getValue().get()).sum();
    }

    /** Distinct payments captured for a tenant's bookings. */
    long captured(String tenant) {
      return captures.keySet().stream().filter(k -> k.startsWith(tenant + ":")).count();
    }

    /** Distinct payments of a tenant refunded. */
    long refunded(String tenant) {
      return captures.entrySet().stream().filter(e -> e.getKey().startsWith(tenant + ":"))
          .filter(e -> refunds.contains(e.getValue())).count();
    }
  }

  /** Crashes right before the commit of one step of one booking, once. */
  static final class Crashes implements FaultInjector {
    private final Map<String, String> once = new ConcurrentHashMap<>();

    void crashOnce(String bookingId, String step) {
      once.put(bookingId, step);
    }

    @Override
    public void beforeCommit(String step, String bookingId) {
      if (once.remove(bookingId, step)) {
        throw new IllegalStateException("crash before the commit of " + step);
      }
    }
  }

  /** The settled bookings, as Spring tells them after each commit. */
  static final class Settled {
    private final Map<String, Status> byBooking = new ConcurrentHashMap<>();

    @TransactionalEventListener
    void on(SettledBooking booking) {
      byBooking.put(booking.bookingId(), booking.status());
    }

    /** Waits until {@code bookingId} settled, and returns how. */
    Status await(String bookingId, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!byBooking.containsKey(bookingId)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("booking " + bookingId + " did not settle within " + timeout);
        }
        Thread.sleep(5);
      }
      return byBooking.get(bookingId);
    }
  }
}
