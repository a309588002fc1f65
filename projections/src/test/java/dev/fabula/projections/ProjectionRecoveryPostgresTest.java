package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.internal.ProjectionsImpl;
import dev.fabula.testkit.postgres.OwnedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The PostgreSQL server crashes ({@code pg_ctl stop -m immediate}) and restarts on the same data
 * directory while a runner applies a transactional and an at-least-once projection and another
 * "process" (a second store on the same tables) appends. The same runner, never restarted, goes on:
 * afterwards an append of the other process is applied within {@link #PROMPT}, far under the poll
 * interval of ten minutes, so its LISTEN connection is back; the transactional read model has
 * every event exactly once; the at-least-once effects cover every event, a duplicate only for an
 * event first applied around a crash and never by a holder past its safe window; nothing is
 * FAILED. The torture variant crashes ten times ({@code -Ptorture}).
 */
@EnabledIf("dev.fabula.testkit.postgres.OwnedPostgres#canRunHere")
class ProjectionRecoveryPostgresTest {
  /** Catch-up of one append when the runner waits for events: a NOTIFY, or the listener's reconnect. */
  private static final Duration PROMPT = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** How long the server stays down at the last crash. */
  private static final Duration DOWNTIME = Duration.ofSeconds(8);
  private static final AtomicInteger TESTS = new AtomicInteger();
  /** The runner's configuration: the defaults' backoff, a poll that can never explain a prompt catch-up. */
  private static final RunnerConfig CONFIG = RunnerConfig.DEFAULT
      .withPollInterval(Duration.ofMinutes(10))
      .withLeaseDuration(Duration.ofSeconds(3));

  private static OwnedPostgres pg;

  @BeforeAll
  static void start() {
    pg = OwnedPostgres.start();
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  /** One application of an event by the at-least-once handler. */
  private record Effect(long at, boolean tokenValid) {}

  /** A crash: from just before the server went down until it accepted connections again. */
  private record Outage(long from, long to) {
    boolean covers(long nanos) {
      return nanos - from >= 0 && to - nanos >= 0;
    }
  }

  @Test
  void the_same_runner_recovers_from_two_server_crashes() throws Exception {
    crashAndRecover(2);
  }

  @Test
  @Tag("torture")
  void the_same_runner_recovers_from_ten_server_crashes() throws Exception {
    crashAndRecover(10);
  }

  private void crashAndRecover(int crashes) throws Exception {
    String prefix = "rec" + TESTS.incrementAndGet() + "_";
    String table = prefix + "applied";
    Map<Long, List<Effect>> effects = new ConcurrentHashMap<>();
    List<Outage> outages = new CopyOnWriteArrayList<>();
    PrintStream stderr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new TeeStream(stderr, log), true, StandardCharsets.UTF_8));
    try (JdbcEventStore store = open(prefix);
        JdbcEventStore other = open(prefix)) {
      store.jdbi().useHandle(h -> h.execute("CREATE TABLE " + table + " (position BIGINT NOT NULL)"));
      Projections projections = Projections.open(store);
      Projection tx = Projection.transactional("rec_model", TransactionalHandler.eachEvent(
          (h, e) -> h.createUpdate("INSERT INTO " + table + " (position) VALUES (:p)").bind("p", e.position()).execute()));
      Projection alo = Projection.atLeastOnce("rec_effects", AtLeastOnceHandler.eachEvent((e, token) ->
          effects.computeIfAbsent(e.position(), p -> new CopyOnWriteArrayList<>())
              .add(new Effect(System.nanoTime(), token.valid()))));
      try (ProjectionRunner runner = projections.runner(CONFIG, List.of(tx, alo)).start()) {
        Appender appender = new Appender(other);
        for (int i = 0; i < crashes; i++) {
          appender.awaitMore(40);
          long from = System.nanoTime();
          pg.crash();
          if (i == crashes - 1) {
            // The scenario, not a synchronisation: an operator takes a while to bring the server
            // back, long enough for the runner's backoff to grow past PROMPT.
            Thread.sleep(DOWNTIME.toMillis());
          }
          pg.restart();
          outages.add(new Outage(from, System.nanoTime()));
          // Back promptly, however long the backoff grew while the server was down.
          awaitCaughtUp(projections, store, List.of(tx.id(), alo.id()), PROMPT);
          appender.awaitMore(20); // the same store goes on appending (its calls retry within their window)
        }
        appender.stop();

        // Caught up after the last crash, then prompt again: each append of the other process
        // wakes the idle runner through its LISTEN connection, long before the next poll.
        awaitCaughtUp(projections, store, List.of(tx.id(), alo.id()), WAIT);
        for (int round = 0; round < 3; round++) {
          awaitWaitingForEvents(projections, List.of(tx.id(), alo.id()));
          other.append("after-" + round, ExpectedVersion.any(), List.of(EventData.json("Late", 1,
              ContractSupport.payload("n", round))));
          awaitCaughtUp(projections, store, List.of(tx.id(), alo.id()), PROMPT);
        }

        List<Long> positions;
        try (var events = store.readAll(LogQuery.all())) {
          positions = events.map(RecordedEvent::position).toList();
        }
        List<Long> applied = store.jdbi().withHandle(h ->
            h.createQuery("SELECT position FROM " + table + " ORDER BY position").mapTo(Long.class).list());
        assertThat(applied).as("the transactional read model: every event exactly once").isEqualTo(positions);
        assertThat(effects.keySet()).as("at-least-once effects cover every event").containsExactlyInAnyOrderElementsOf(positions);
        effects.forEach((position, list) -> {
          assertThat(list).as("effects of position %d", position).allMatch(Effect::tokenValid);
          if (list.size() > 1) {
            assertThat(outages).as("position %d applied %d times: its first application was around a crash",
                position, list.size()).anyMatch(o -> o.covers(list.get(0).at()) || nearBefore(o, list.get(0).at()));
          }
        });
        // What the operator saw (slf4j-simple writes to System.err; the build logs WARN and up).
        String seen = log.toString(StandardCharsets.UTF_8);
        assertThat(seen).as("the log").contains("LISTEN connection on").contains("reconnecting, polling covers the gap");
        for (ProjectionId id : List.of(tx.id(), alo.id())) {
          // The runner's own WARN ("projection <id> ... lease/unavailable") when a renewal or a
          // batch failed, or, when the crash only broke a read that the store retried, the pool's
          // WARN on the projection's own thread ("[fabula-projection-<name>-v<n>] ... Connection ...
          // marked as broken"): which of the two depends on where the crash met the runner.
          assertThat(seen).as("the log about %s", id).containsPattern("(?i)(projection " + id + "|fabula-projection-"
              + id.name() + "-v" + id.version() + "\\b).*(renew|unavailable|lease|connection)");
          ProjectionStatus status = projections.status(id);
          assertThat(status.state()).as("%s after the crashes", id).isEqualTo(ProjectionState.RUNNING);
          assertThat(status.owner()).as("%s: the same runner holds it", id).isEqualTo(runner.owner());
          assertThat(status.failedPosition()).isNull();
        }
      }
    } finally {
      System.setErr(stderr);
    }
  }

  /** Copies what is written to two streams. */
  private static final class TeeStream extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream second;

    TeeStream(OutputStream first, ByteArrayOutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }

  /** A batch read just before the crash may be applied then and again after the restart. */
  private static boolean nearBefore(Outage o, long nanos) {
    return o.from - nanos >= 0 && o.from - nanos <= Duration.ofSeconds(5).toNanos();
  }

  private static JdbcEventStore open(String prefix) {
    return JdbcEventStore.open(pg.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix));
  }

  private static void awaitCaughtUp(Projections projections, JdbcEventStore store, List<ProjectionId> ids, Duration bound) {
    long head = store.headPosition();
    eventually("caught up to " + head + " within " + bound, bound, projections,
        () -> ids.stream().allMatch(id -> projections.status(id).checkpoint() >= head));
  }

  private static void awaitWaitingForEvents(Projections projections, List<ProjectionId> ids) {
    eventually("the runner to wait for new events", WAIT, projections, () -> ids.stream().allMatch(id -> {
      String w = projections.status(id).waitingFor();
      return w != null && w.startsWith("new events");
    }));
  }

  private static void eventually(String what, Duration bound, Projections projections, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      ((ProjectionsImpl) projections).awaitProgress(Duration.ofMillis(100));
    }
  }

  /** Appends from another store, one event at a time; a failed append is retried with the same event id. */
  private static final class Appender {
    final AtomicInteger appended = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Appender(JdbcEventStore store) {
      thread = new Thread(() -> {
        int n = 0;
        while (running.get()) {
          List<EventData> events = List.of(EventData.json("Flow", 1, ContractSupport.payload("n", n)));
          while (true) {
            try {
              store.append("flow-" + (n % 7), ExpectedVersion.any(), events);
              break;
            } catch (RuntimeException e) {
              failures.incrementAndGet(); // unknown or not committed: the same ids are safe to send again
              synchronized (this) {
                notifyAll();
              }
              if (!running.get()) {
                return;
              }
            }
          }
          n++;
          appended.incrementAndGet();
          synchronized (this) {
            notifyAll();
          }
        }
      }, "recovery-appender");
      thread.setDaemon(true);
      thread.start();
    }

    void awaitMore(int count) throws InterruptedException {
      int target = appended.get() + count;
      await(() -> appended.get() >= target, "appends");
    }

    void awaitFailures() throws InterruptedException {
      int target = failures.get() + 1;
      await(() -> failures.get() >= target, "a failed append");
    }

    private synchronized void await(BooleanSupplier condition, String what) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for " + what);
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(WAIT.toMillis());
      assertThat(thread.isAlive()).as("the appender stopped").isFalse();
    }
  }
}
