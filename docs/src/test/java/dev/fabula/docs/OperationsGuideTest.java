package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
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
import dev.fabula.scheduler.SchedulerConfig;
import dev.fabula.scheduler.SchedulerStats;
import dev.fabula.scheduler.WorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/operations.md, run on SQLite files. */
class OperationsGuideTest {
  @TempDir Path dir;

  private static EventData event(String type, int n) {
    return EventData.json(type, 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  @Test
  void a_sqlite_backup_taken_while_the_app_runs_restores_every_committed_event() throws Exception {
    Path live = dir.resolve("app.db");
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + live, EventStoreConfig.DEFAULT)) {
      for (int i = 1; i <= 50; i++) {
        store.append("order-" + i, ExpectedVersion.noStream(), List.of(event("OrderPlaced", i)));
      }
      // snippet:sqlite-backup
      Path backup = dir.resolve("backup-2026-11-21.db"); // must not exist yet
      store.jdbi().useHandle(h -> h.execute("VACUUM INTO ?", backup.toString())); // a consistent copy, writers keep going
      // end
      store.append("order-51", ExpectedVersion.noStream(), List.of(event("OrderPlaced", 51)));
    }
    Files.move(dir.resolve("backup-2026-11-21.db"), dir.resolve("restored.db"));
    try (JdbcEventStore restored = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("restored.db"), EventStoreConfig.DEFAULT)) {
      assertThat(restored.headPosition()).isEqualTo(50);
      assertThat(restored.readStream("order-50")).hasSize(1);
      assertThat(restored.readStream("order-51")).isEmpty();
    }
  }

  @Test
  void monitors_then_reprocesses_parked_events_and_failed_jobs_after_a_fix() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("ops.db"), EventStoreConfig.DEFAULT)) {
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
      JobQueue queue = JobQueue.create(store, SchedulerConfig.DEFAULT.withPollInterval(Duration.ofMillis(20)));
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

  /** Polls a condition that background threads make true (status lives in the database). */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
