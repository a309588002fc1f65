package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that becomes due after the pool last looked does not wait for the next poll when this
 * process knows its due time: enqueued here with a delay, or retried by this pool. The poll
 * interval is an hour, so only the wake-up at the due time (the database's time) can run the job
 * within the test's bound.
 */
class DueWakeupSqliteTest {
  private static final Duration LONG_POLL = Duration.ofHours(1);
  private static final Duration BOUND = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  @Test
  void a_job_enqueued_with_a_delay_runs_when_due_not_at_the_next_poll() {
    try (JdbcEventStore store = open()) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(LONG_POLL)
          .withMaintenanceInterval(LONG_POLL));
      queue.register("later", ctx -> JobResult.success());
      try (WorkerPool pool = queue.newWorkerPool(2).start()) {
        Job first = queue.enqueue(JobRequest.of("later")); // the pool is started and idle after this one
        Await.until("the first job succeeded", BOUND, () -> queue.job(first.id()).orElseThrow().state() == JobState.SUCCEEDED);
        Job job = queue.enqueue(JobRequest.of("later").withDelay(Duration.ofSeconds(1)));
        Await.until("the delayed job succeeded", BOUND,
            () -> queue.job(job.id()).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(queue.history(job.id())).hasSize(1);
      }
    }
  }

  @Test
  void a_retry_runs_when_due_not_at_the_next_poll() {
    try (JdbcEventStore store = open()) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(LONG_POLL)
          .withMaintenanceInterval(LONG_POLL)
          .withRetryPolicy("flaky", RetryPolicy.DEFAULT.withBaseDelay(Duration.ofSeconds(1)).withJitter(0)));
      AtomicInteger attempts = new AtomicInteger();
      queue.register("flaky", ctx -> {
        if (attempts.incrementAndGet() == 1) {
          throw new IllegalStateException("the first attempt fails");
        }
        return JobResult.success();
      });
      try (WorkerPool pool = queue.newWorkerPool(2).start()) {
        Job job = queue.enqueue(JobRequest.of("flaky"));
        Await.until("the retried job succeeded", BOUND,
            () -> queue.job(job.id()).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(attempts).hasValue(2);
      }
    }
  }

  private JdbcEventStore open() {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("jobs.db"), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true));
  }
}
