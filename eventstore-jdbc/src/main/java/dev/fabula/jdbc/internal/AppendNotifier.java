package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Statements;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NOTIFY side of {@link NotificationsImpl}: tells other processes of appends. One daemon thread
 * per store, started on the first append, sends the newest position and coalesces: many commits
 * while a NOTIFY is in flight produce one more, and one starts at least {@code spacing} after the
 * previous one ended, so a steady stream of appends sends one NOTIFY per {@code spacing} instead of
 * one per commit (each is a transaction of its own on the server). An append after a quiet spell
 * is announced at once. A failed NOTIFY is logged and dropped: listeners also poll, so a lost
 * notification only delays them.
 */
final class AppendNotifier implements Runnable {
  /**
   * The least time between two NOTIFYs of one store: what a listener may wait beyond the commit
   * under a steady stream of appends (none after a quiet spell). At one appending thread the
   * NOTIFYs went from about 0.9 per append to 0.2 (docs/benchmarks.md, tenth session).
   */
  static final Duration SPACING = Duration.ofMillis(2);

  private static final Logger LOG = LoggerFactory.getLogger(AppendNotifier.class);

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Statements sql;
  private final String channel;
  private final long spacingNanos;
  private final AtomicLong pending = new AtomicLong();
  private final Semaphore wake = new Semaphore(0);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicBoolean started = new AtomicBoolean();

  AppendNotifier(Jdbi jdbi, Dialect dialect, Statements sql, String channel, Duration spacing) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.sql = sql;
    this.channel = channel;
    this.spacingNanos = spacing.toNanos();
  }

  /** Called after each commit that appended, on the committing thread; never blocks. */
  void signal(long position) {
    pending.accumulateAndGet(position, Math::max);
    if (started.compareAndSet(false, true)) {
      Thread t = new Thread(this, "fabula-notifier");
      t.setDaemon(true);
      t.start();
    }
    wake.release();
  }

  @Override
  public void run() {
    long sent = 0;
    long sentAt = System.nanoTime() - spacingNanos;
    try {
      while (closing.getCount() > 0) {
        wake.acquire();
        long due = sentAt + spacingNanos - System.nanoTime();
        if (due > 0 && closing.await(due, TimeUnit.NANOSECONDS)) {
          return;
        }
        wake.drainPermits();
        long position = pending.get();
        if (position > sent && closing.getCount() > 0) {
          send(position);
          sent = position;
          sentAt = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(long position) {
    try {
      jdbi.useHandle(h -> dialect.notifyAppended(h, sql, channel, position));
    } catch (RuntimeException e) {
      if (closing.getCount() > 0) {
        LOG.warn("Could not notify other processes of appended events (they will poll): {}", e.getMessage());
      }
    }
  }

  void close() {
    closing.countDown();
    wake.release();
  }
}
