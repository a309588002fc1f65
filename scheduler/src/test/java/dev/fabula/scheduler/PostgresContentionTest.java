package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL under contention: several worker pools, each on its own connection pool as separate
 * processes would be, compete for the same rows with FOR UPDATE SKIP LOCKED; and pickup of new
 * jobs through LISTEN/NOTIFY from another "process".
 */
class PostgresContentionTest {
  @RegisterExtension
  static PostgresExtension postgres = new PostgresExtension();
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final String prefix = "c" + PREFIXES.incrementAndGet() + "_";
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private JdbcEventStore store() {
    JdbcEventStore s = JdbcEventStore.open(PostgresUrls.url(postgres.database()), EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix));
    resources.add(s);
    return s;
  }

  /**
   * 5,000 jobs: 32 threads in four pools still claim side by side for over a second, every pool
   * runs some, and the run costs a quarter of the 20,000 it used (7.5 s of the build's budget);
   * {@link SoakContentionTest} drains 20,000 five times ({@code -Psoak}).
   */
  @Test
  void four_worker_pools_of_eight_threads_drain_5000_jobs_and_each_succeeds_exactly_once() throws Exception {
    drain(5_000);
  }

  /** Four pools of eight threads drain {@code jobs} no-op jobs; each succeeds exactly once. */
  void drain(int jobs) throws Exception {
    JdbcEventStore producerStore = store();
    JobQueue producer = JobQueue.open(producerStore, JobQueueConfig.DEFAULT);
    for (int batch = 0; batch < jobs / 1000; batch++) {
      producerStore.inTransaction(tx -> {
        for (int i = 0; i < 1000; i++) {
          producer.enqueue(tx, JobRequest.of("noop"));
        }
        return null;
      });
    }
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> perPool = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(jobs);
    for (int p = 0; p < 4; p++) {
      String name = "pool" + p;
      JobQueue q = JobQueue.open(store(), JobQueueConfig.DEFAULT.withWorkerName(name));
      q.register("noop", ctx -> {
        if (runs.computeIfAbsent(ctx.jobId(), k -> new AtomicInteger()).incrementAndGet() == 1) {
          done.countDown();
        }
        perPool.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        return JobResult.success();
      });
      WorkerPool pool = q.newWorkerPool(8);
      resources.add(pool);
      pool.start();
    }
    long start = System.nanoTime();
    assertThat(done.await(120, TimeUnit.SECONDS)).as("all jobs ran").isTrue();
    Await.until("every completion is written", Duration.ofSeconds(60),
        () -> producer.stats().count(JobState.SUCCEEDED) == jobs);
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(runs).hasSize(jobs);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    SchedulerStats stats = producer.stats();
    assertThat(stats.count(JobState.PENDING) + stats.count(JobState.RUNNING) + stats.count(JobState.FAILED)).isZero();
    long succeededRuns = producerStore.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM " + prefix + "job_runs WHERE outcome = 'succeeded'").mapTo(Long.class).one());
    assertThat(succeededRuns).isEqualTo(jobs);
    assertThat(perPool).hasSize(4);
    System.out.printf("drained %d jobs with 4 pools x 8 threads in %.1f s (%.0f jobs/s), per pool %s%n",
        jobs, seconds, jobs / seconds, perPool);
  }

  @Test
  void a_job_enqueued_by_another_process_is_picked_up_through_listen_notify_not_polling() throws Exception {
    JobQueue worker = JobQueue.open(store(), JobQueueConfig.DEFAULT.withPollInterval(Duration.ofSeconds(30)));
    Map<Long, Long> startedAt = new ConcurrentHashMap<>();
    worker.register("ping", ctx -> {
      startedAt.put(ctx.jobId(), System.nanoTime());
      return JobResult.success();
    });
    WorkerPool pool = worker.newWorkerPool(2);
    resources.add(pool);
    pool.start();
    JobQueue other = JobQueue.open(store(), JobQueueConfig.DEFAULT);
    other.enqueue(JobRequest.of("ping")); // the first pickup also waits for the LISTEN to be in place
    Await.until("the first ping ran", Duration.ofSeconds(40), () -> startedAt.size() == 1);

    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long before = System.nanoTime();
      long id = other.enqueue(JobRequest.of("ping")).id();
      Await.until("ping " + id + " ran", Duration.ofSeconds(10), () -> startedAt.containsKey(id));
      latencies.add(TimeUnit.NANOSECONDS.toMillis(startedAt.get(id) - before));
    }
    latencies.sort(null);
    assertThat(latencies.get(latencies.size() - 1)).as("slowest pickup in ms, polling every 30 s").isLessThan(2_000);
    System.out.println("pickup latencies via NOTIFY (ms): " + latencies);
  }
}
