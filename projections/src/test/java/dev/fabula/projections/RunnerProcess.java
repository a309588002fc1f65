package dev.fabula.projections;

import dev.fabula.EventStoreConfig;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.time.Duration;
import java.util.List;

/**
 * A projection runner in a JVM of its own, for the crash and takeover tests: it runs projection
 * {@code crash}, whose handler inserts one row per event into {@code <prefix>crash_model} and adds
 * one to {@code <prefix>crash_counter}, in the checkpoint's transaction, and prints {@code
 * APPLYING <owner> <position> <index>/<batch size>} before it sleeps a little per event (the
 * scenario: a slow handler, so that a kill lands in the middle of a batch). It runs until its
 * standard input closes, or it is killed.
 *
 * <p>Arguments: JDBC URL, table prefix, owner, lease in ms, handler delay per event in ms, batch
 * size.
 */
public final class RunnerProcess {
  private RunnerProcess() {}

  /** Runs; see the class comment. */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String prefix = args[1];
    String owner = args[2];
    long leaseMs = Long.parseLong(args[3]);
    long delayMs = Long.parseLong(args[4]);
    int batch = Integer.parseInt(args[5]);
    String model = prefix + "crash_model";
    String counter = prefix + "crash_counter";
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix).withMaxPoolSize(4))) {
      Projections projections = Projections.open(store);
      Projection crash = Projection.transactional("crash", (h, events) -> {
        int i = 0;
        for (RecordedEvent e : events) {
          h.execute("INSERT INTO " + model + " (position, owner) VALUES (?, ?)", e.position(), owner);
          h.execute("UPDATE " + counter + " SET applied = applied + 1");
          System.out.println("APPLYING " + owner + " " + e.position() + " " + (++i) + "/" + events.size());
          System.out.flush();
          Thread.sleep(delayMs);
        }
      }).withBatchSize(batch);
      RunnerConfig config = RunnerConfig.DEFAULT
          .withOwner(owner)
          .withLeaseDuration(Duration.ofMillis(leaseMs))
          .withPollInterval(Duration.ofMillis(200));
      try (ProjectionRunner runner = projections.runner(config, List.of(crash))) {
        runner.start();
        System.out.println("STARTED " + owner);
        System.out.flush();
        while (System.in.read() >= 0) {
          // until the parent closes our input
        }
      }
    }
  }
}
