package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.spi.JobObserver;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.ControllableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link JobObserver} hears each handler run with its job (queue, type, due time), start, end,
 * outcome and whether a retry follows, and each rescue of a job whose worker stopped renewing its
 * lease; one that throws does not stop the pool. On SQLite, with a clock the test moves.
 */
class JobObserverSqliteTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;
  final ControllableClock clock = ControllableClock.at(T0);

  /** Everything heard, as short strings. */
  static final class Recorder implements JobObserver {
    final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public void ran(Job job, Instant started, Instant finished, JobRun.Outcome outcome, boolean retrying) {
      heard.add(job.queue() + "/" + job.type() + " attempt " + job.attempt() + " " + outcome + (retrying ? " retrying" : "")
          + " due " + job.runAt() + " started " + started);
    }

    @Override
    public void rescued(Job job, boolean failed) {
      heard.add(job.type() + " rescued" + (failed ? ", failed" : ""));
    }
  }

  private JobQueueConfig config() {
    return JobQueueContract.config(clock);
  }

  private JdbcEventStore open() {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("jobs.db"), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true));
  }

  @Test
  void an_observer_hears_runs_with_their_outcome_and_retries() throws Exception {
    try (JdbcEventStore store = open()) {
      JobQueue queue = JobQueue.open(store, config());
      Recorder recorder = new Recorder();
      queue.observe(new JobObserver() {
        @Override
        public void ran(Job job, Instant started, Instant finished, JobRun.Outcome outcome, boolean retrying) {
          throw new IllegalStateException("a broken meter");
        }
      });
      queue.observe(recorder);
      queue.observe(recorder); // twice: heard once
      queue.register("send", ctx -> JobResult.success());
      queue.register("flaky", ctx -> {
        throw new IllegalStateException("down");
      });
      long sent = queue.enqueue(JobRequest.of("send").withQueue("mail")).id();
      long flaky = queue.enqueue(JobRequest.of("flaky").withMaxAttempts(2)).id();
      try (WorkerPool pool = queue.newWorkerPool(1).start()) {
        Await.until("the first attempt of the flaky job failed", WAIT,
            () -> queue.job(flaky).orElseThrow().attempt() == 1 && queue.job(flaky).orElseThrow().state() == JobState.PENDING);
        Instant retryDue = queue.job(flaky).orElseThrow().runAt();
        clock.set(retryDue);
        Await.until("the flaky job failed", WAIT, () -> queue.job(flaky).orElseThrow().state() == JobState.FAILED);
        Await.until("the send job succeeded", WAIT, () -> queue.job(sent).orElseThrow().state() == JobState.SUCCEEDED);

        assertThat(recorder.heard).containsExactlyInAnyOrder(
            "mail/send attempt 1 SUCCEEDED due " + T0 + " started " + T0,
            "default/flaky attempt 1 FAILED retrying due " + T0 + " started " + T0,
            "default/flaky attempt 2 FAILED due " + retryDue + " started " + retryDue);
      }
    }
  }

  @Test
  void an_observer_hears_a_rescue() throws Exception {
    try (JdbcEventStore store = open()) {
      JobQueue queue = JobQueue.open(store, config());
      JobQueue frozen = JobQueue.open(store, config().withLease(Duration.ofMinutes(10), Duration.ofMinutes(9)).withWorkerName("frozen"));
      Recorder recorder = new Recorder();
      queue.observe(recorder);
      frozen.observe(recorder); // whichever pool's maintenance rescues, it is heard
      CountDownLatch stuck = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      frozen.register("job", ctx -> {
        stuck.countDown();
        release.await(20, TimeUnit.SECONDS);
        return JobResult.success();
      });
      try (WorkerPool frozenPool = frozen.newWorkerPool(1).start()) {
        long id = queue.enqueue(JobRequest.of("job").withMaxAttempts(2)).id();
        assertThat(stuck.await(20, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        queue.register("job", ctx -> JobResult.success());
        try (WorkerPool pool = queue.newWorkerPool(1).start()) {
          Await.until("the job rescued and run again", WAIT, () -> queue.job(id).orElseThrow().state() == JobState.SUCCEEDED);
        }
        release.countDown();
      }
      // The pool that rescued tells after its commit, on its own thread: wait for it, not for the job.
      Await.until("the rescue heard", WAIT, () -> recorder.heard.contains("job rescued"));
    }
  }
}
