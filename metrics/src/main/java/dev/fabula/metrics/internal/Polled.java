package dev.fabula.metrics.internal;

import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from the database at most once per interval, shared by every gauge that shows a
 * part of it: a scrape of twenty gauges costs one read. A failed read (the database is down) gives
 * null until a read succeeds again, so gauges show NaN rather than an old value as if it were
 * current; the first failure of a run is logged at WARN, the recovery at INFO. Thread-safe: reads
 * are serialised, so concurrent scrapes do not read twice.
 */
public final class Polled<T> {
  private static final Logger LOG = LoggerFactory.getLogger(Polled.class);

  private final String what;
  private final Supplier<T> read;
  private final long intervalNanos;
  private @Nullable T value;
  private long readAt;
  private boolean hasRead;
  private boolean failing;

  /** A value read by {@code read} (described by {@code what} in logs) at most once per {@code interval}. */
  public Polled(String what, Supplier<T> read, Duration interval) {
    this.what = what;
    this.read = read;
    this.intervalNanos = interval.toNanos();
  }

  /** The value, read now if the last read is older than the interval; null while reads fail. */
  public synchronized @Nullable T get() {
    long now = System.nanoTime();
    if (hasRead && now - readAt < intervalNanos) {
      return value;
    }
    hasRead = true;
    readAt = now;
    try {
      value = read.get();
      if (failing) {
        LOG.info("Reading {} for metrics works again", what);
        failing = false;
      }
    } catch (RuntimeException e) {
      value = null;
      if (!failing) {
        LOG.warn("Reading {} for metrics failed; its gauges show NaN until a read succeeds: {}", what, e.toString());
        failing = true;
      }
    }
    return value;
  }

  /** Forgets the last read, so the next {@link #get} reads again. */
  public synchronized void invalidate() {
    hasRead = false;
  }
}
