package dev.fabula.projections;

import dev.fabula.EventStoreConfig;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * size; optionally the kind ({@code transactional}, the default, or {@code at-least-once}), and
 * a pause: after the n-th event it applies, the handler prints {@code PAUSING <owner> <position>}
 * and then works on that event for the given milliseconds (the scenario: a slow event, during which
 * the test freezes the process with {@code SIGSTOP}), if it is the first process to create the
 * given marker file (so that of two runners started together, only the first holder pauses).
 *
 * <p>System property {@code fabula.test.segments}: the segments of projection {@code crash} (and
 * this runner's threads for them); 1 unless set.
 *
 * <p>The {@code at-least-once} kind runs projection {@code fenced} with {@link
 * AtLeastOnceHandler#eachEvent(AtLeastOnceHandler.FencedPerEvent)}: its effect goes to a fenced
 * sink outside the projection's transaction (see {@link #sink}).
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
    boolean transactional = args.length <= 6 || args[6].equals("transactional");
    long pauseAfter = args.length > 7 ? Long.parseLong(args[7]) : -1;
    long pauseMs = args.length > 8 ? Long.parseLong(args[8]) : 0;
    Path marker = args.length > 9 ? Path.of(args[9]) : null;
    int segments = Integer.getInteger("fabula.test.segments", 1); // see ChildRunner
    long[] applied = {0};
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
          work(owner, e, ++applied[0] == pauseAfter && firstToPause(marker) ? pauseMs : delayMs);
        }
      }).withBatchSize(batch).withSegments(segments);
      Projection fenced = Projection.atLeastOnce("fenced", AtLeastOnceHandler.eachEvent((e, token) -> {
        boolean accepted = sink(store, prefix, owner, e.position(), token.value());
        System.out.println("APPLYING " + owner + " " + e.position() + " " + token.value() + (accepted ? "" : " REJECTED"));
        System.out.flush();
        work(owner, e, ++applied[0] == pauseAfter && firstToPause(marker) ? pauseMs : delayMs);
      })).withBatchSize(batch);
      RunnerConfig config = RunnerConfig.DEFAULT
          .withOwner(owner)
          .withLeaseDuration(Duration.ofMillis(leaseMs))
          .withPollInterval(Duration.ofMillis(200))
          .withSegmentThreads(segments);
      try (ProjectionRunner runner = projections.runner(config, List.of(transactional ? crash : fenced))) {
        runner.start();
        System.out.println("STARTED " + owner);
        System.out.flush();
        while (System.in.read() >= 0) {
          // until the parent closes our input
        }
      }
    }
  }

  private static boolean firstToPause(Path marker) {
    try {
      Files.createFile(marker);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The handler's work on one event: {@code millis} of it (a long one announces itself first). */
  private static void work(String owner, RecordedEvent e, long millis) throws InterruptedException {
    if (millis > 1_000) {
      System.out.println("PAUSING " + owner + " " + e.position());
      System.out.flush();
    }
    Thread.sleep(millis);
  }

  /**
   * A system outside the projection's transaction that rejects stale fencing tokens, as the docs
   * tell users to build one: in a transaction of its own, it raises its highest token seen ({@code
   * <prefix>sink_fence}) unless the write's token is lower, and records the effect in {@code
   * <prefix>sink_effects} (seq: the order the sink accepted them in), else the rejected write in
   * {@code <prefix>sink_rejected}. Returns whether it accepted.
   */
  static boolean sink(JdbcEventStore store, String prefix, String owner, long position, long token) {
    return store.jdbi().inTransaction(h -> {
      boolean accepted = h.createUpdate("UPDATE " + prefix + "sink_fence SET max_token = :t WHERE max_token <= :t")
          .bind("t", token).execute() == 1;
      String table = prefix + (accepted ? "sink_effects" : "sink_rejected");
      h.createUpdate("INSERT INTO " + table + " (seq, position, token, owner) SELECT COALESCE(MAX(seq), 0) + 1, :p, :t, :o FROM "
          + table).bind("p", position).bind("t", token).bind("o", owner).execute();
      return accepted;
    });
  }
}
