package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StoreUnavailableException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.FailurePolicy;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.ProjectionStatus;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.SchedulerStats;
import dev.fabula.scheduler.WorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/operations.md, run on SQLite files. */
class OperationsGuideTest {
  @TempDir Path dir;

  private static EventData event(String type, int n) {
    return EventData.json(type, 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  /** An append of the writer below: its order number, last position, and when it began and returned. */
  private record Append(int order, long position, long startedNanos, long returnedNanos) {}

  /**
   * A writer appends orders of three events each, without pause, while backups are taken. A
   * backup counts as taken while the writer kept going once an append began and returned within
   * it (a few tries, as the scheduler may pause the writer); every backup must hold every event
   * committed before it began, only whole orders, and the same events as the live file.
   */
  @Test
  void a_sqlite_backup_taken_while_the_app_runs_restores_every_committed_event() throws Exception {
    Path live = dir.resolve("app.db");
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + live, EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      for (int b = 0; b < 20; b++) { // some history, so that a copy takes a while
        List<EventData> history = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          history.add(event("ItemAdded", i));
        }
        store.append("cart-" + b, ExpectedVersion.noStream(), history);
      }
      List<Append> appends = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService writer = Executors.newSingleThreadExecutor();
      Future<?> writing = writer.submit(() -> {
        for (int i = 1; i <= 100_000 && !stop.get(); i++) {
          long started = System.nanoTime();
          long position = store.append("order-" + i, ExpectedVersion.noStream(),
              List.of(event("OrderPlaced", i), event("ItemAdded", i), event("OrderConfirmed", i))).lastPosition();
          appends.add(new Append(i, position, started, System.nanoTime()));
        }
        return null;
      });
      try {
        awaitTrue(() -> appends.size() >= 20);
        boolean writerKeptGoing = false;
        for (int attempt = 1; attempt <= 10 && !writerKeptGoing; attempt++) {
          long committedBefore = appends.get(appends.size() - 1).position();
          long began = System.nanoTime();
          Path backup = backup(store, Files.createDirectory(dir.resolve("backups-" + attempt)));
          long ended = System.nanoTime();
          writerKeptGoing = appends.stream().anyMatch(a -> a.startedNanos() > began && a.returnedNanos() < ended);
          assertConsistentCopy(store, backup, committedBefore);
        }
        assertThat(writerKeptGoing).as("an append began and committed while a backup ran, in one of 10 backups").isTrue();
      } finally {
        stop.set(true);
        writer.shutdown();
      }
      writing.get(30, TimeUnit.SECONDS);
    }
  }

  private static Path backup(JdbcEventStore store, Path dir) {
    // snippet:sqlite-backup
    Path backup = dir.resolve("backup-2026-11-21.db"); // must not exist yet
    store.jdbi().useHandle(h -> h.execute("VACUUM INTO ?", backup.toString())); // a consistent copy, writers keep going
    // end
    return backup;
  }

  /** The copy holds at least every event committed before it began, only whole orders, the same as the live file. */
  private static void assertConsistentCopy(JdbcEventStore live, Path copy, long committedBefore) {
    try (JdbcEventStore restored = JdbcEventStore.open("jdbc:sqlite:" + copy, EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      long head = restored.headPosition();
      assertThat(head).as("head of %s", copy).isGreaterThanOrEqualTo(committedBefore);
      List<RecordedEvent> copied;
      List<RecordedEvent> original;
      try (Stream<RecordedEvent> events = restored.readAll(LogQuery.all())) {
        copied = events.toList();
      }
      try (Stream<RecordedEvent> events = live.readAll(LogQuery.all().limit(head))) {
        original = events.toList();
      }
      assertThat(copied).as("events of %s", copy).hasSize((int) head).isEqualTo(original);
      assertThat(copied.stream().filter(e -> e.streamId().startsWith("order-"))
          .collect(Collectors.groupingBy(RecordedEvent::streamId, Collectors.counting())))
          .as("events per order in %s", copy).allSatisfy((order, n) -> assertThat(n).as(order).isEqualTo(3));
    }
  }

  @Test
  void monitors_then_reprocesses_parked_events_and_failed_jobs_after_a_fix() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("ops.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      AtomicBoolean fixed = new AtomicBoolean();
      // The handler's rows commit with its checkpoint; a batch that failed is rolled back and retried.
      store.jdbi().useHandle(h -> h.execute("CREATE TABLE order_totals (seq INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER)"));
      Supplier<List<Integer>> applied = () -> store.jdbi().withHandle(h ->
          h.createQuery("SELECT n FROM order_totals ORDER BY seq").mapTo(Integer.class).list());
      Projection totals = Projection.transactional("order-totals", TransactionalHandler.eachEvent((handle, e) -> {
            int n = e.payload().path("n").asInt();
            if (n == 2 && !fixed.get()) {
              throw new IllegalStateException("order 2 has no customer");
            }
            handle.execute("INSERT INTO order_totals (n) VALUES (?)", n);
          }))
          .withFailurePolicy(FailurePolicy.PARK);
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(Duration.ofMillis(20)));
      queue.register("send-receipt", ctx -> fixed.get() ? JobResult.success() : JobResult.failWithoutRetry("mail server refused"));
      Projections projections = Projections.open(store);
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT
              .withPollInterval(Duration.ofMillis(20)).withMaxAttempts(1), List.of(totals));
          WorkerPool pool = queue.newWorkerPool(2)) {
        runner.start();
        pool.start();
        for (int i = 1; i <= 3; i++) {
          store.append("order-" + i, ExpectedVersion.noStream(), List.of(event("OrderPlaced", i)));
        }
        long receipt = queue.enqueue(JobRequest.of("send-receipt")).id();
        awaitTrue(() -> projections.status(totals.id()).parkedEvents() == 1 && projections.status(totals.id()).lagEvents() == 0);
        awaitTrue(() -> queue.job(receipt).orElseThrow().state() == JobState.FAILED);

        List<String> alerts = new ArrayList<>();
        // snippet:monitor
        for (ProjectionStatus p : projections.statuses()) {
          if (p.state().name().equals("FAILED") || p.parkedEvents() > 0 || p.lag().compareTo(Duration.ofMinutes(1)) > 0) {
            alerts.add(p.id() + " " + p.state() + ", " + p.lagEvents() + " behind, " + p.parkedEvents() + " parked");
          }
        }
        SchedulerStats jobs = queue.stats();
        if (jobs.counts().get(JobState.FAILED) > 0 || jobs.oldestDueAge().compareTo(Duration.ofMinutes(5)) > 0) {
          alerts.add("jobs: " + jobs.counts() + ", oldest due job waiting " + jobs.oldestDueAge());
        }
        pool.failure().ifPresent(why -> alerts.add("worker pool " + pool.workerId() + " stopped: " + why)); // restart it
        // end
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0)).contains("order-totals", "1 parked");
        assertThat(alerts.get(1)).contains("FAILED=1");
        assertThat(applied.get()).containsExactly(1, 3);

        fixed.set(true); // the fix is deployed
        // snippet:reprocess
        int again = projections.retryAllParked(totals.id()); // applied again in order, by the runner
        for (Job failed : queue.list(JobQuery.ALL.withState(JobState.FAILED).withType("send-receipt"))) {
          queue.retry(failed.id()); // pending again, attempts counted afresh, history kept
        }
        // end
        assertThat(again).isEqualTo(1);
        awaitTrue(() -> projections.status(totals.id()).parkedEvents() == 0);
        awaitTrue(() -> queue.job(receipt).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(applied.get()).containsExactly(1, 3, 2);
      }
    }
  }

  @Test
  void timeouts_and_the_retry_window_are_configured_on_the_store() {
    // snippet:timeouts
    JdbcConfig jdbc = JdbcConfig.DEFAULT
        .withStatementTimeout(Duration.ofSeconds(30))  // longest statement (default 60 s)
        .withLockTimeout(Duration.ofSeconds(5))        // longest wait for a lock (default 10 s)
        .withSocketTimeout(Duration.ofSeconds(45))     // a silent server: drop the connection (default 90 s)
        .withRetryWindow(Duration.ofMinutes(1));       // ride out a failover of up to a minute (default 30 s)
    // end
    assertThat(jdbc.timeouts()).isEqualTo(new JdbcConfig.Timeouts(
        Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(45), true, Duration.ofMinutes(1)));
    assertThat(JdbcConfig.DEFAULT.timeouts()).isEqualTo(JdbcConfig.Timeouts.DEFAULT);
    assertThat(JdbcConfig.Timeouts.DEFAULT).isEqualTo(new JdbcConfig.Timeouts(
        Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(90), true, Duration.ofSeconds(30)));
  }

  @Test
  void a_busy_pool_fails_after_the_configured_wait_with_a_message_naming_the_pool() {
    // snippet:pool
    JdbcConfig jdbc = JdbcConfig.DEFAULT
        .withMaxPoolSize(20)                            // see the budget below
        .withConnectionTimeout(Duration.ofSeconds(5));  // fail fast instead of queueing for 30 s
    // end
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("pool.db"), EventStoreConfig.DEFAULT,
        jdbc.withMaxPoolSize(1).withConnectionTimeout(Duration.ofMillis(250)).withMigrateOnOpen(true));
        Handle busy = store.jdbi().open()) {
      assertThatThrownBy(() -> store.readStream("order-1")).isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("all 1 connections of the store's pool are in use");
    }
  }

  /** Polls a condition that background threads make true (status lives in the database). */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
