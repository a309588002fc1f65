package dev.fabula.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that stands still until a test moves it: the time the scheduler's tests use, and yours.
 * Give the same instance to everything that reads time in the test: the job queue's time ({@code
 * JobQueueConfig.DEFAULT.withTime(TimeSource.of(clock))}, which replaces the database's clock in
 * every lease, due time, retry and schedule comparison), the job handlers' clock ({@code
 * withClock(clock)}) and the event store's ({@code EventStoreConfig.withClock(clock)}). Then
 * {@link #advance} makes a retry due, a schedule fire or a lease expire at once, without sleeping:
 *
 * <pre>{@code
 * ControllableClock clock = ControllableClock.at(Instant.parse("2025-01-06T09:00:00Z"));
 * JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT
 *     .withTime(TimeSource.of(clock))
 *     .withClock(clock));
 * // a handler fails; its retry waits 60 s
 * clock.advance(Duration.ofSeconds(60)); // now the retry is due
 * }</pre>
 *
 * <p>Every queue and worker pool on one database must share one instance: pools that disagree
 * about the time disagree about leases. The clock never moves by itself, so a lease never expires
 * unless the test moves the clock past it. Its zone is UTC. Thread-safe: tests move it while
 * worker threads read it.
 */
public final class ControllableClock extends Clock {
  private volatile Instant now;

  private ControllableClock(Instant start) {
    this.now = start;
  }

  /**
   * A clock that shows {@code start} until moved.
   *
   * @throws NullPointerException if {@code start} is null
   */
  public static ControllableClock at(Instant start) {
    return new ControllableClock(Objects.requireNonNull(start, "start"));
  }

  /**
   * Moves the clock forward by {@code amount}.
   *
   * @throws IllegalArgumentException if {@code amount} is negative: time does not run backwards
   *     by accident here; use {@link #set} to jump anywhere on purpose
   */
  public synchronized void advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must not be negative but was " + amount + "; use set(Instant) to go back on purpose");
    }
    now = now.plus(amount);
  }

  /** Sets the clock to {@code instant}, forwards or backwards. */
  public synchronized void set(Instant instant) {
    now = Objects.requireNonNull(instant, "instant");
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public long millis() {
    return now.toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** This clock itself: its zone is always UTC, and a copy would not follow its moves. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public String toString() {
    return "ControllableClock[" + now + "]";
  }
}
