package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two worker pools on one database whose application clocks differ by 30 s ({@link
 * Clock#offset}), as two hosts whose NTP disagrees: leases and due times run on the database's
 * clock, so neither pool rescues the other's live jobs, no job runs twice, and a dead pool's jobs
 * are rescued once its lease has run out by the database's clock, not 30 s early or late.
 */
@Timeout(60)
abstract class ClockSkewContract {
  static final Duration SKEW = Duration.ofSeconds(30);
  static final Duration LEASE = Duration.ofSeconds(2);
  static final Duration RENEW = Duration.ofMillis(200);
  /** How long each job works: longer than a lease, so only renewals keep it. */
  static final Duration WORK = Duration.ofSeconds(3);

  /** The JDBC URL of this test's database, with credentials. */
  protected abstract String url();

  /** The table prefix of this test. */
  protected abstract String tablePrefix();

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() throws Exception {
    release.countDown();
    List<AutoCloseable> all = new ArrayList<>(toClose);
    Collections.reverse(all);
    for (AutoCloseable c : all) {
      c.close();
    }
  }

  JdbcEventStore store() {
    JdbcEventStore s = JdbcEventStore.open(url(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tablePrefix()));
    toClose.add(s);
    return s;
  }

  /** A queue of its own store (as another process would have) whose application clock is {@code clock}. */
  JobQueue queue(JdbcEventStore store, Clock clock) {
    JobQueue q = JobQueue.open(store, JobQueueConfig.DEFAULT
        .withClock(clock)
        .withPollInterval(Duration.ofMillis(50))
        .withLease(LEASE, RENEW)
        .withMaintenanceInterval(Duration.ofMillis(100))
        .withShutdownTimeout(Duration.ofMillis(500))
        .withDefaultRetryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(5)));
    q.register("work", ctx -> {
      runs.computeIfAbsent(ctx.jobId(), id -> new AtomicInteger()).incrementAndGet();
      release.await(WORK.toMillis(), TimeUnit.MILLISECONDS); // the work: outlasts a lease
      return JobResult.success();
    });
    return q;
  }

  WorkerPool started(WorkerPool pool) {
    toClose.add(pool);
    return pool.start();
  }

  @Test
  void pools_whose_clocks_differ_by_30_seconds_never_rescue_each_others_live_jobs() {
    JobQueue behind = queue(store(), Clock.systemUTC());
    JobQueue ahead = queue(store(), Clock.offset(Clock.systemUTC(), SKEW));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(behind.enqueue(JobRequest.of("work").withQueue("behind")).id());
      ids.add(ahead.enqueue(JobRequest.of("work").withQueue("ahead")).id());
    }

    started(behind.newWorkerPool(4, Set.of("behind")));
    started(ahead.newWorkerPool(4, Set.of("ahead")));

    Await.until("every job finished", Duration.ofSeconds(40),
        () -> behind.stats().count(JobState.SUCCEEDED) + behind.stats().count(JobState.FAILED) == ids.size());
    for (long id : ids) {
      assertThat(runs.get(id)).as("runs of job %s", id).hasValue(1);
      assertThat(behind.history(id)).extracting(JobRun::outcome).as("history of job %s", id)
          .containsExactly(JobRun.Outcome.SUCCEEDED);
    }
  }

  @Test
  void a_dead_pools_jobs_are_rescued_when_its_lease_ends_by_the_databases_clock() {
    JdbcEventStore deadStore = store();
    JobQueue dead = queue(deadStore, Clock.offset(Clock.systemUTC(), SKEW));
    JobQueue survivor = queue(store(), Clock.offset(Clock.systemUTC(), SKEW.negated()));
    long id = survivor.enqueue(JobRequest.of("work").withQueue("dead")).id();
    started(dead.newWorkerPool(1, Set.of("dead")));
    Await.until("the doomed pool runs the job", Duration.ofSeconds(20), () -> runs.containsKey(id));

    deadStore.close(); // the pool can no longer renew its lease: as good as dead
    long diedAt = System.nanoTime();
    started(survivor.newWorkerPool(1, Set.of("dead")));

    Await.until("the survivor rescued the job and runs it", Duration.ofSeconds(15), () -> runs.get(id).get() == 2);
    Duration tookOver = Duration.ofNanos(System.nanoTime() - diedAt);
    release.countDown();
    Await.until("the job succeeded", Duration.ofSeconds(15),
        () -> survivor.job(id).orElseThrow().state() == JobState.SUCCEEDED);
    // The last renewal came at most one renew interval before the store closed.
    assertThat(tookOver).as("rescued no earlier than the lease allows").isGreaterThanOrEqualTo(LEASE.minus(RENEW));
    assertThat(runs.get(id)).hasValue(2);
    assertThat(survivor.history(id)).extracting(JobRun::outcome)
        .containsExactly(JobRun.Outcome.LEASE_EXPIRED, JobRun.Outcome.SUCCEEDED);
  }
}
