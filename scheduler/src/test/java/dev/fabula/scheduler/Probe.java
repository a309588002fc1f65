package dev.fabula.scheduler;

import dev.fabula.jdbc.JdbcEventStore;

/**
 * A concurrency counter in the database, shared by handlers in several processes: each handler
 * adds one when it starts and takes one away when it ends, and the row keeps the highest count.
 * Handlers run strictly inside their claim, so the count never exceeds the jobs running.
 */
final class Probe {
  private Probe() {}

  static void create(JdbcEventStore store) {
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE IF NOT EXISTS probe (name VARCHAR(20) PRIMARY KEY, current INTEGER NOT NULL, max_seen INTEGER NOT NULL)");
      h.execute("INSERT INTO probe (name, current, max_seen) VALUES ('p', 0, 0)");
    });
  }

  static void enter(JdbcEventStore store) {
    store.jdbi().useHandle(h -> h.execute(
        "UPDATE probe SET current = current + 1, max_seen = CASE WHEN current + 1 > max_seen THEN current + 1 ELSE max_seen END"));
  }

  static void leave(JdbcEventStore store) {
    store.jdbi().useHandle(h -> h.execute("UPDATE probe SET current = current - 1"));
  }

  static int maxSeen(JdbcEventStore store) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT max_seen FROM probe").mapTo(Integer.class).one());
  }
}
