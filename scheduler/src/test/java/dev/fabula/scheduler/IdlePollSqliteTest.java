package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SQLite (one writer at a time) an idle worker pool's polls take no write lock: a poll that
 * finds no due job reads, and opens no write transaction. Seen from the dispatcher thread while
 * another connection holds the file's write lock: it must never be found inside a write.
 */
class IdlePollSqliteTest {
  private static final Duration POLL = Duration.ofMillis(20);

  @TempDir
  Path dir;

  @Test
  void an_idle_pool_polls_without_taking_the_write_lock() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("jobs.db");
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(POLL)
          .withMaintenanceInterval(Duration.ofHours(1)));
      CountDownLatch ran = new CountDownLatch(2);
      queue.register("noop", ctx -> {
        ran.countDown();
        return JobResult.success();
      });
      Set<Thread> before = dispatchers();
      try (WorkerPool pool = queue.newWorkerPool(2).start()) {
        Thread dispatcher = Await.value("the pool's dispatcher thread is running", Duration.ofSeconds(10), () -> {
          Set<Thread> now = dispatchers();
          now.removeAll(before);
          return now.isEmpty() ? null : now.iterator().next();
        }, t -> t != null);
        queue.enqueue(JobRequest.of("noop"));
        Await.until("the first job's outcome is written", Duration.ofSeconds(10),
            () -> queue.stats().count(JobState.SUCCEEDED) == 1);
        // The outcome's commit is visible a moment before the dispatcher has left that write.
        Await.until("the dispatcher has left the first job's outcome write", Duration.ofSeconds(10),
            () -> Arrays.stream(dispatcher.getStackTrace()).noneMatch(IdlePollSqliteTest::isWrite));

        int samples = 0;
        int inWrite = 0;
        try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement()) {
          s.execute("BEGIN IMMEDIATE"); // holds the file's write lock
          try {
            // An observation window of many polls (not a wait for an event): sample where the
            // dispatcher is, at least 200 times and over at least 15 poll intervals.
            long until = System.nanoTime() + POLL.multipliedBy(15).toNanos();
            while (samples < 200 || System.nanoTime() < until) {
              samples++;
              if (Arrays.stream(dispatcher.getStackTrace()).anyMatch(IdlePollSqliteTest::isWrite)) {
                inWrite++;
              }
              Thread.onSpinWait();
              TimeUnit.MICROSECONDS.sleep(500);
            }
          } finally {
            s.execute("ROLLBACK");
          }
        }
        assertThat(inWrite).as("samples (of %d) that found the idle dispatcher in a write transaction", samples).isZero();

        queue.enqueue(JobRequest.of("noop"));
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("the pool still runs new jobs").isTrue();
      }
    }
  }

  private static boolean isWrite(StackTraceElement frame) {
    return frame.getClassName().equals("dev.fabula.scheduler.internal.Db") && frame.getMethodName().equals("write");
  }

  private static Set<Thread> dispatchers() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("fabula-dispatcher")) {
        out.add(t);
      }
    }
    return out;
  }
}
