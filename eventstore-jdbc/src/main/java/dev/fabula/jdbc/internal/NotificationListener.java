package dev.fabula.jdbc.internal;

import dev.fabula.internal.Fatal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import dev.fabula.jdbc.spi.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a notification channel from a dedicated connection and calls {@code onNotify} when
 * a notification arrives; see {@link dev.fabula.jdbc.spi.Notifications#listen}. On its own daemon
 * thread.
 *
 * <p>The connection is re-established whenever it fails, and also when it dies silently (a
 * network partition, a proxy dropping it): when no notification came for {@code checkInterval},
 * the connection is tested, and replaced if the test fails. After every (re)connect {@code
 * onNotify} runs once, since notifications sent while no connection listened are lost. The
 * listeners poll as well, so a lost notification only delays them. Any failure, an {@link Error}
 * included, reconnects after a backoff; only a fatal one ({@link dev.fabula.internal.Fatal}) ends the thread,
 * logged at ERROR, and the listeners' polling goes on without it.
 */
final class NotificationListener implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Dialect dialect;
  private final String channel;
  private final ListenConnections connections;
  private final Duration checkInterval;
  private final Runnable onNotify;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile @Nullable Connection current;

  NotificationListener(Dialect dialect, String channel, ListenConnections connections, Duration checkInterval,
      String threadName, Runnable onNotify) {
    if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("unexpected notification channel name '" + channel + "'");
    }
    this.dialect = dialect;
    this.channel = channel;
    this.connections = connections;
    this.checkInterval = checkInterval;
    this.onNotify = onNotify;
    this.thread = new Thread(this, threadName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void run() {
    long backoff = 100;
    boolean reported = false;
    while (running) {
      Connection c = null;
      try {
        c = connections.open();
        current = c;
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
        dialect.listen(c, channel);
        LOG.debug("Listening on {}", channel);
        if (reported) {
          LOG.info("LISTEN connection on {} re-established", channel);
          reported = false;
        }
        backoff = 100;
        onNotify.run();
        listen(c);
      } catch (SQLException | RuntimeException | Error e) {
        if (!running) {
          break;
        }
        if (Fatal.is(e)) {
          LOG.error("LISTEN thread on {} dies of {}; polling alone finds new events from now on", channel,
              e.toString(), e);
          throw (Error) e;
        }
        if (e instanceof Error) {
          LOG.error("LISTEN connection on {} failed ({}); reconnecting, polling covers the gap", channel,
              e.toString(), e);
          reported = true;
        } else if (!reported) {
          LOG.warn("LISTEN connection on {} failed ({}); reconnecting, polling covers the gap", channel, e.getMessage());
          reported = true;
        }
        connections.close(c);
        current = null;
        c = null;
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      } finally {
        connections.close(c);
        current = null;
      }
    }
  }

  /** Waits for notifications until the connection fails its test or throws. */
  private void listen(Connection c) throws SQLException {
    int timeout = (int) Math.max(1, Math.min(checkInterval.toMillis(), 1_000));
    long quietSince = System.nanoTime();
    while (running) {
      if (dialect.awaitNotifications(c, timeout)) {
        onNotify.run();
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= checkInterval.toNanos()) {
        int seconds = (int) Math.max(1, Math.min(30, checkInterval.toSeconds()));
        if (!c.isValid(seconds)) {
          throw new SQLException("the connection did not answer a test within " + seconds + " s");
        }
        quietSince = System.nanoTime();
      }
    }
  }

  private void pause(long millis) {
    synchronized (this) {
      try {
        if (running) {
          wait(millis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    synchronized (this) {
      notifyAll();
    }
    Connection c = current;
    if (c != null) {
      try {
        c.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        LOG.debug("Aborting the LISTEN connection failed", e);
      }
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
