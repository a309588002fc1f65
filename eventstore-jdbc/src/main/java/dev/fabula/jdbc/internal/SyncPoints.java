package dev.fabula.jdbc.internal;

import dev.fabula.StoreUnavailableException;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The sync points of a read replica (see replica_sync_point.sql): the primary's read horizon and
 * the WAL position a replica must have replayed before it may serve reads up to it. Readers share
 * them, so that many readers cost the primary one query at a time, not one each.
 *
 * <p><b>How it works.</b> A reader needs a point whose query <em>started</em> no earlier than
 * {@code maxStaleness} before the reader arrived (with zero: after it arrived, so that the point
 * covers every append that completed before the read began). If the last point is that recent, it
 * is returned at once. Otherwise the reader waits while another reader's query runs; when none
 * runs, it runs one itself, and every reader that arrived while it ran waits for the next. So at
 * most one query is in flight, and a reader waits for at most two.
 *
 * <p>Thread-safe.
 */
final class SyncPoints {
  /** One sync point, and when its query started ({@link System#nanoTime()}). */
  record Point(long horizon, long targetLsn, long startedNanos) {}

  /** A sync point read on the primary: its horizon and WAL target. */
  record Read(long horizon, long targetLsn) {}

  private final Supplier<Read> primary;
  private final long maxStalenessNanos;
  private final Object lock = new Object();
  private @Nullable Point last;
  private boolean reading;

  /**
   * @param primary reads one sync point on the primary (the horizon first, the WAL position after)
   * @param maxStaleness how long before a reader arrived a reusable point may have been read
   */
  SyncPoints(Supplier<Read> primary, Duration maxStaleness) {
    this.primary = primary;
    this.maxStalenessNanos = maxStaleness.toNanos();
  }

  /** A sync point whose query started at most {@code maxStaleness} before this call. */
  Point get() {
    long oldest = System.nanoTime() - maxStalenessNanos;
    synchronized (lock) {
      while (true) {
        if (last != null && last.startedNanos() - oldest >= 0) {
          return last;
        }
        if (!reading) {
          reading = true;
          break;
        }
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreUnavailableException("interrupted while waiting for the read replica's sync point", e);
        }
      }
    }
    Point point = null;
    try {
      long started = System.nanoTime();
      Read read = primary.get();
      point = new Point(read.horizon(), read.targetLsn(), started);
      return point;
    } finally {
      synchronized (lock) {
        reading = false;
        if (point != null && (last == null || point.startedNanos() - last.startedNanos() > 0)) {
          last = point;
        }
        lock.notifyAll();
      }
    }
  }
}
