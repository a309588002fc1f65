package dev.fabula.examples.mealplanner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that a simulation moves: it stands still between moves ({@link #still}), or also ticks
 * on in real time after each move ({@link #ticking}, so that job durations are real). Give it to
 * the scheduler ({@code JobQueueConfig.withTime(TimeSource.of(clock))} and {@code withClock}) and the event store to replay weeks in
 * seconds. Thread-safe.
 */
public final class SimulatedClock extends Clock {
  private final boolean ticks;
  private volatile Instant base;
  private volatile long baseNanos;

  private SimulatedClock(Instant start, boolean ticks) {
    this.ticks = ticks;
    this.base = start;
    this.baseNanos = System.nanoTime();
  }

  /** A clock that shows {@code start} until moved. */
  public static SimulatedClock still(Instant start) {
    return new SimulatedClock(start, false);
  }

  /** A clock that shows {@code start} and ticks on in real time; moves jump it. */
  public static SimulatedClock ticking(Instant start) {
    return new SimulatedClock(start, true);
  }

  /** Moves the clock to {@code instant}. */
  public synchronized void set(Instant instant) {
    base = instant;
    baseNanos = System.nanoTime();
  }

  /** Moves the clock on by {@code d}. */
  public synchronized void advance(Duration d) {
    set(instant().plus(d));
  }

  @Override
  public Instant instant() {
    if (!ticks) {
      return base;
    }
    synchronized (this) {
      return base.plusNanos(System.nanoTime() - baseNanos);
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
