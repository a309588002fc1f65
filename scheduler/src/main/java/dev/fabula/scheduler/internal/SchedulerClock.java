package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's one notion of now ({@link TimeSource}): every lease, due time, retry delay and
 * schedule of a queue and its pools is computed from {@link #now}, and every SQL comparison is
 * given that time as {@code :now}.
 *
 * <p>With the database's clock, a reading (database_now.sql) is anchored to {@link
 * System#nanoTime} at the middle of its round trip, and the time in between readings is counted on
 * that monotonic clock: the application's wall clock, however wrong or stepped, never enters. A
 * reading older than {@link #RESYNC_NANOS} is replaced by the next caller (one at a time; the
 * others go on with the old anchor, as does everyone when the database cannot be read, so a
 * failed reading never fails a caller that has an anchor). Callers inside a transaction pass its
 * handle, so a reading never needs a second connection there. Thread-safe.
 */
final class SchedulerClock {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerClock.class);
  /** How long a reading of the database's clock is used before it is read again. */
  static final long RESYNC_NANOS = TimeUnit.SECONDS.toNanos(1);
  /**
   * How far two processes' readings of the database's clock may differ (each is off by up to
   * half a round trip): a job enqueued "now" by one process is due at once for the others, which
   * take jobs due within this much of their own now.
   */
  static final Duration READING_TOLERANCE = Duration.ofMillis(200);
  /**
   * The longest round trip of a reading that replaces an earlier one: half of it is the reading's
   * uncertainty, which must stay within {@link #READING_TOLERANCE}.
   */
  static final long MAX_ROUND_TRIP_NANOS = READING_TOLERANCE.multipliedBy(2).toNanos();

  /** A reading of the database's clock and the monotonic time it was taken at. */
  private record Anchor(long dbMicros, long nanos) {
    Instant at(long nanoTime) {
      long micros = dbMicros + (nanoTime - nanos) / 1_000;
      return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
  }

  private final @Nullable Clock clock;
  private final Function<@Nullable Handle, Long> reader;
  private final ReentrantLock syncing = new ReentrantLock();
  private volatile @Nullable Anchor anchor;
  private volatile long nextSync;

  /**
   * @param time where now comes from
   * @param reader reads the database's clock in microseconds, on the given handle or (null) on a
   *     connection of its own
   */
  SchedulerClock(TimeSource time, Function<@Nullable Handle, Long> reader) {
    this.clock = time instanceof TimeSource.OfClock c ? c.clock() : null;
    this.reader = reader;
  }

  /** How much later than {@link #now} a job may be due and still be taken now: none with a test's clock. */
  Duration dueTolerance() {
    return clock != null ? Duration.ZERO : READING_TOLERANCE;
  }

  /** Now, at the databases' precision (microseconds). */
  Instant now() {
    return now(null);
  }

  /**
   * Now without reading the database's clock: the last reading counted on by the monotonic clock
   * (or the test's clock); null before the first reading. Never waits for a connection.
   */
  @Nullable Instant estimate() {
    if (clock != null) {
      return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
    Anchor a = anchor;
    return a == null ? null : a.at(System.nanoTime());
  }

  /** Now; a reading of the database's clock that is due is taken on {@code h} when given. */
  Instant now(@Nullable Handle h) {
    if (clock != null) {
      return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
    long t = System.nanoTime();
    Anchor a = anchor;
    if (a == null) {
      return sync(h); // the first reading: a caller without one has no time at all, so it waits
    }
    if (t - nextSync >= 0 && syncing.tryLock()) {
      try {
        return sync(h);
      } catch (RuntimeException e) {
        nextSync = System.nanoTime() + RESYNC_NANOS;
        LOG.debug("Cannot read the database's clock ({}); counting on from the last reading", e.getMessage());
      } finally {
        syncing.unlock();
      }
    }
    return a.at(System.nanoTime());
  }

  private Instant sync(@Nullable Handle h) {
    long before = System.nanoTime();
    long micros = reader.apply(h);
    long after = System.nanoTime();
    Anchor previous = anchor;
    if (previous != null && after - before > MAX_ROUND_TRIP_NANOS) {
      // A slow reading: the call waited for a restarting server (its retries), a pool, a lock.
      // When in that round trip the clock was read is unknown, by up to all of it: anchored at its
      // middle it could put now seconds ahead, so that jobs enqueued meanwhile are due later than
      // the pool thinks and nothing wakes it when they are. The last anchor, counted on the
      // monotonic clock, is the better estimate; read again at the next resync.
      nextSync = after + RESYNC_NANOS;
      LOG.debug("A reading of the database's clock took {} ms; counting on from the last reading",
          (after - before) / 1_000_000);
      return previous.at(after);
    }
    Anchor a = new Anchor(micros, before + (after - before) / 2);
    anchor = a;
    nextSync = after + RESYNC_NANOS;
    return a.at(after);
  }
}
