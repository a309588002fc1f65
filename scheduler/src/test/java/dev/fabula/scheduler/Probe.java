package dev.fabula.scheduler;

import dev.fabula.jdbc.JdbcEventStore;
import java.time.Duration;
import java.util.Set;

/**
 * A concurrency counter and a gate in the database, shared by handlers in several processes.
 *
 * <p>Each handler {@link #enter enters} when it starts (one more running, the row keeps the highest
 * count, and a row names the job and its process) and {@link #leave leaves} when it ends. Handlers
 * run strictly inside their claim, so the count never exceeds the jobs running. While the gate is
 * closed, handlers {@link #awaitGate wait} at it, so the test can hold jobs running in several
 * processes at once and look at them.
 */
final class Probe {
  private Probe() {}

  /** The probe's tables carry the test's table prefix, so tests sharing a database keep apart. */
  private static String t(JdbcEventStore store) {
    return store.jdbcConfig().tablePrefix();
  }

  static void create(JdbcEventStore store) {
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE " + t(store) + "probe (name VARCHAR(20) PRIMARY KEY, current INTEGER NOT NULL, max_seen INTEGER NOT NULL, "
          + "gate_open INTEGER NOT NULL)");
      h.execute("INSERT INTO " + t(store) + "probe (name, current, max_seen, gate_open) VALUES ('p', 0, 0, 0)");
      h.execute("CREATE TABLE " + t(store) + "probe_running (job_id BIGINT PRIMARY KEY, process VARCHAR(40) NOT NULL)");
    });
  }

  /** Counts job {@code jobId} of {@code process} as running; the row lock on probe orders the counts. */
  static void enter(JdbcEventStore store, long jobId, String process) {
    store.jdbi().useTransaction(h -> {
      h.execute("UPDATE " + t(store) + "probe SET current = current + 1, "
          + "max_seen = CASE WHEN current + 1 > max_seen THEN current + 1 ELSE max_seen END");
      h.execute("INSERT INTO " + t(store) + "probe_running (job_id, process) VALUES (?, ?)", jobId, process);
    });
  }

  static void leave(JdbcEventStore store, long jobId) {
    store.jdbi().useTransaction(h -> {
      h.execute("DELETE FROM " + t(store) + "probe_running WHERE job_id = ?", jobId);
      h.execute("UPDATE " + t(store) + "probe SET current = current - 1");
    });
  }

  /** Waits until the test opens the gate; throws (failing the job) after {@code timeout}. */
  static void awaitGate(JdbcEventStore store, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (store.jdbi().withHandle(h -> h.createQuery("SELECT gate_open FROM " + t(store) + "probe").mapTo(Integer.class).one()) == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the probe's gate stayed closed for " + timeout);
      }
      Thread.sleep(10);
    }
  }

  static void openGate(JdbcEventStore store) {
    store.jdbi().useHandle(h -> h.execute("UPDATE " + t(store) + "probe SET gate_open = 1"));
  }

  /** The processes with a handler between enter and leave now. */
  static Set<String> runningProcesses(JdbcEventStore store) {
    return Set.copyOf(store.jdbi().withHandle(h ->
        h.createQuery("SELECT DISTINCT process FROM " + t(store) + "probe_running").mapTo(String.class).list()));
  }

  static int maxSeen(JdbcEventStore store) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT max_seen FROM " + t(store) + "probe").mapTo(Integer.class).one());
  }
}
