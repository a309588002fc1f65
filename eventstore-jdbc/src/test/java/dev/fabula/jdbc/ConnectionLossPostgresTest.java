package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StoreUnavailableException;
import dev.fabula.testkit.postgres.OwnedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The database goes away under load, as operators see it: the server crashes ({@code pg_ctl stop
 * -m immediate}) and restarts on the same data directory, or backends are killed ({@code
 * pg_terminate_backend}). Eight threads append batches with fresh event ids (and read); every
 * append ends either with a result (its events are then stored exactly once) or with {@link
 * AppendOutcomeUnknownException} (a retry with the same ids then stores them exactly once), and
 * the same store goes on working without being reopened. The torture variants loop longer
 * ({@code -Ptorture}).
 */
@EnabledIf("dev.fabula.testkit.postgres.OwnedPostgres#canRunHere")
class ConnectionLossPostgresTest {
  private static final int THREADS = 8;
  private static final Duration PROGRESS_WAIT = Duration.ofSeconds(60);
  private static final AtomicInteger STORES = new AtomicInteger();
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

  /** One append call of a writer thread and how it ended. */
  private static final class Call {
    final String stream;
    final List<EventData> events;
    volatile AppendResult result;
    volatile AppendOutcomeUnknownException unknown;
    volatile StoreUnavailableException notCommitted;
    volatile Throwable other;

    Call(String stream, List<EventData> events) {
      this.stream = stream;
      this.events = events;
    }
  }

  @Test
  void appends_across_server_crashes_are_stored_exactly_once_or_reported_unknown() throws Exception {
    crashAndRestart(2);
  }

  @Test
  @Tag("torture")
  void appends_across_twenty_server_crashes_are_stored_exactly_once_or_reported_unknown() throws Exception {
    crashAndRestart(20);
  }

  @Test
  void killed_backends_fail_no_idempotent_call() throws Exception {
    killBackends(4);
  }

  @Test
  @Tag("torture")
  void killed_backends_fail_no_idempotent_call_over_fifty_rounds() throws Exception {
    killBackends(50);
  }

  private void crashAndRestart(int crashes) throws Exception {
    try (JdbcEventStore store = open()) {
      Writers writers = new Writers(store, null);
      int successesBeforeLastRestart = 0;
      for (int i = 0; i < crashes; i++) {
        writers.awaitMoreCalls(150);
        pg.crash();
        pg.restart();
        successesBeforeLastRestart = writers.successes.get();
      }
      writers.awaitMoreCalls(150);
      writers.stop();

      assertThat(writers.successes.get()).as("appends that succeeded after the last restart, same store")
          .isGreaterThan(successesBeforeLastRestart);
      settleAndCheck(store, writers.calls);
    }
  }

  private void killBackends(int rounds) throws Exception {
    try (JdbcEventStore store = open();
        Connection admin = pg.database().dataSource().getConnection()) {
      AtomicInteger readFailures = new AtomicInteger();
      Writers writers = new Writers(store, readFailures);
      int killed = 0;
      for (int i = 0; i < rounds; i++) {
        writers.awaitMoreCalls(100);
        killed += terminateStoreBackends(admin);
      }
      writers.awaitMoreCalls(100);
      writers.stop();

      assertThat(killed).as("backends killed").isPositive();
      assertThat(readFailures).as("failed reads").hasValue(0);
      assertThat(writers.calls).as("appends that failed")
          .allSatisfy(c -> assertThat(c.unknown).as("unknown outcome of an append to %s", c.stream).isNull());
      settleAndCheck(store, writers.calls);
    }
  }

  private static JdbcEventStore open() {
    return JdbcEventStore.open(pg.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
        TestStores.migrating("loss" + STORES.incrementAndGet() + "_"));
  }

  private static int terminateStoreBackends(Connection admin) throws SQLException {
    try (Statement s = admin.createStatement();
        var rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            + "WHERE application_name = 'fabula' AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Retries every append whose outcome was unknown with the same ids, as the exception says, then
   * checks the log: every append returned (the server came back within the retry window, so none
   * may fail as unavailable) or was retried, its events stored exactly once, no duplicates.
   */
  private static void settleAndCheck(JdbcEventStore store, Queue<Call> calls) {
    List<Call> unknown = calls.stream().filter(c -> c.unknown != null).toList();
    for (Call c : unknown) {
      c.result = store.append(c.stream, ExpectedVersion.any(), c.events);
    }
    assertThat(calls).as("calls that failed otherwise").allSatisfy(c -> assertThat(c.other).isNull());
    Map<UUID, Long> copies;
    try (var log = store.readAll(LogQuery.all())) {
      copies = log.collect(Collectors.groupingBy(RecordedEvent::eventId, Collectors.counting()));
    }
    List<UUID> expected = new ArrayList<>();
    for (Call c : calls) {
      List<UUID> ids = c.events.stream().map(EventData::eventId).toList();
      assertThat(c.result).as("result of an append to %s (failed: %s)", c.stream, c.notCommitted).isNotNull();
      expected.addAll(ids);
    }
    assertThat(copies).as("events in the log").hasSize(expected.size()).containsOnlyKeys(expected);
    assertThat(copies.values()).as("copies per event id").containsOnly(1L);
  }

  /** Eight threads: each appends batches of fresh events in a loop; with readers, half read instead. */
  private static final class Writers {
    final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    final AtomicInteger done = new AtomicInteger();
    final AtomicInteger successes = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    Writers(JdbcEventStore store, AtomicInteger readFailures) {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        boolean reader = readFailures != null && t % 2 == 1;
        Thread th = new Thread(() -> {
          for (int n = 0; !stopping.get(); n++) {
            if (reader) {
              read(store, "w" + (thread - 1) + "-" + (n % 4), readFailures);
            } else {
              append(store, "w" + thread + "-" + (n % 4), n);
            }
            done.incrementAndGet();
          }
        }, "loss-" + (reader ? "reader-" : "writer-") + t);
        threads.add(th);
        th.start();
      }
    }

    private void append(JdbcEventStore store, String stream, int n) {
      List<EventData> events = List.of(note(n), note(n + 1));
      Call call = new Call(stream, events);
      calls.add(call);
      try {
        call.result = store.append(stream, ExpectedVersion.any(), events);
        successes.incrementAndGet();
      } catch (AppendOutcomeUnknownException e) {
        call.unknown = e;
      } catch (StoreUnavailableException e) {
        call.notCommitted = e;
      } catch (Throwable e) {
        call.other = e;
      }
    }

    private static void read(JdbcEventStore store, String stream, AtomicInteger failures) {
      try {
        store.readStream(stream);
        store.streamInfo(stream);
        long head = store.headPosition();
        try (var page = store.readAll(LogQuery.after(Math.max(0, head - 50)))) {
          page.count();
        }
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        org.slf4j.LoggerFactory.getLogger(ConnectionLossPostgresTest.class).error("A read failed", e);
      }
    }

    /** Waits until {@code n} more calls have ended (the store is making progress). */
    void awaitMoreCalls(int n) {
      int target = done.get() + n;
      await(() -> done.get() >= target, "calls to reach " + target + " (now " + done.get() + ")");
    }

    void stop() throws InterruptedException {
      stopping.set(true);
      for (Thread t : threads) {
        t.join(PROGRESS_WAIT.toMillis());
        assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
      }
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + PROGRESS_WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5); // polling a condition with a deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  private static EventData note(int n) {
    return EventData.json("note", 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }
}
