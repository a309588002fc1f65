package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Statements;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NOTIFY side of {@link NotificationsImpl}: tells other processes of appends. One daemon thread
 * per store, started on the first append, sends the newest position and coalesces bursts (many
 * commits while a NOTIFY is in flight produce one more NOTIFY). A failed NOTIFY is logged and
 * dropped: listeners also poll, so a lost notification only delays them.
 */
final class AppendNotifier implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(AppendNotifier.class);

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Statements sql;
  private final String channel;
  private final AtomicLong pending = new AtomicLong();
  private final Semaphore wake = new Semaphore(0);
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  AppendNotifier(Jdbi jdbi, Dialect dialect, Statements sql, String channel) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.sql = sql;
    this.channel = channel;
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
    while (!closed) {
      try {
        wake.acquire();
        wake.drainPermits();
        long position = pending.get();
        if (position > sent && !closed) {
          jdbi.useHandle(h -> dialect.notifyAppended(h, sql, channel, position));
          sent = position;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("Could not notify other processes of appended events (they will poll): {}", e.getMessage());
        }
      }
    }
  }

  void close() {
    closed = true;
    wake.release();
  }
}
