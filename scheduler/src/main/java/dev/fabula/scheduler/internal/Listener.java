package dev.fabula.scheduler.internal;

import java.sql.Statement;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL only: a thread that LISTENs on the scheduler's channel and wakes a pool when a job
 * due now is committed anywhere. It holds one connection of the store's pool for as long as the
 * worker pool runs (PGConnection.getNotifications blocks on it with a timeout), and takes a new
 * one after an error, so a dropped connection only costs polling until it is back.
 */
final class Listener implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
  private static final int WAIT_MS = 500;

  private final Db db;
  private final Runnable wake;
  private volatile boolean stopped;

  Listener(Db db, Runnable wake) {
    this.db = db;
    this.wake = wake;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    long backoff = 100;
    while (!stopped) {
      try (Handle h = db.jdbi.open()) {
        PGConnection pg = h.getConnection().unwrap(PGConnection.class);
        try (Statement s = h.getConnection().createStatement()) {
          s.execute("LISTEN " + db.channel);
        }
        if (!h.getConnection().getAutoCommit()) {
          h.getConnection().commit();
        }
        backoff = 100;
        wake.run(); // jobs may have come in while no one listened
        while (!stopped) {
          PGNotification[] notes = pg.getNotifications(WAIT_MS);
          if (notes != null && notes.length > 0) {
            wake.run();
          }
        }
        try (Statement s = h.getConnection().createStatement()) {
          s.execute("UNLISTEN " + db.channel);
        }
      } catch (Exception e) {
        if (stopped) {
          return;
        }
        LOG.warn("LISTEN connection lost ({}); relying on polling, reconnecting in {} ms", e.getMessage(), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }
}
