package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.faults.FaultyDataSource;
import dev.fabula.testkit.faults.FaultyDataSource.Fault;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection failures while a pool claims jobs and records their outcomes: a COMMIT whose reply
 * is lost (it committed, the pool saw an error), a COMMIT that keeps failing, and the pool's
 * backends terminated under load ({@code pg_terminate_backend} from another session). Every job
 * runs once (twice only where its handler asked for a retry, or its completion could not be
 * written within the retry window) and ends in the state its handler chose.
 */
@Timeout(120)
class CompletionInDoubtPostgresTest {
  @RegisterExtension
  static PostgresExtension postgres = new PostgresExtension();
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static final String POOL_APP = "fabula-pool-under-faults";
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Markers of the statements whose transactions a fault aims at. */
  private static final String CLAIM = "lease_token = j.lease_token + 1";
  private static final String COMPLETE = "SET state = 'succeeded'";
  private static final String SETTLE = "attempt = attempt + :attempt_delta";

  private final String prefix = "doubt" + TESTS.incrementAndGet() + "_";
  private final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private FaultyDataSource faults;
  private JdbcEventStore store;
  /** A queue on connections of its own, which no fault touches: the test's view of the database. */
  private JobQueue observer;

  @BeforeEach
  void open() {
    PostgresDatabase db = postgres.database();
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(db.jdbcUrl());
    hikari.setUsername(db.username());
    hikari.setPassword(db.password());
    hikari.setMaximumPoolSize(8);
    hikari.addDataSourceProperty("ApplicationName", POOL_APP);
    HikariDataSource pool = new HikariDataSource(hikari);
    faults = FaultyDataSource.of(pool);
    store = JdbcEventStore.open(faults, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix));
    JobQueue.open(store, config(Duration.ofSeconds(60))); // creates the scheduler's tables
    JdbcEventStore observing = JdbcEventStore.open(PostgresUrls.url(db), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withTablePrefix(prefix));
    toClose.add(pool);
    toClose.add(store);
    toClose.add(observing);
    observer = JobQueue.open(observing, config(Duration.ofSeconds(60)));
  }

  @AfterEach
  void close() throws Exception {
    faults.heal();
    List<AutoCloseable> all = new ArrayList<>(toClose);
    Collections.reverse(all);
    for (AutoCloseable c : all) {
      c.close();
    }
  }

  static JobQueueConfig config(Duration lease) {
    return JobQueueConfig.DEFAULT
        .withPollInterval(Duration.ofMillis(20))
        .withLease(lease, lease.dividedBy(10))
        .withMaintenanceInterval(Duration.ofMillis(100))
        .withShutdownTimeout(Duration.ofSeconds(2))
        .withDefaultRetryPolicy(RetryPolicy.DEFAULT.withBaseDelay(Duration.ofMillis(10)).withJitter(0));
  }

  /** A queue on the faulty connections whose "work" jobs count their runs, fail once when asked to, or fail for good. */
  JobQueue queue(Duration lease) {
    JobQueue q = JobQueue.open(store, config(lease));
    q.register("work", ctx -> {
      int run = runs.computeIfAbsent(ctx.jobId(), id -> new AtomicInteger()).incrementAndGet();
      if (ctx.payload().contains("fail-once") && run == 1) {
        throw new IllegalStateException("failing once, as asked");
      }
      if (ctx.payload().contains("slow")) {
        Thread.sleep(20); // the work, during which the pool's other connections claim, renew and complete
      }
      if (ctx.payload().contains("fail-for-good")) {
        return JobResult.failWithoutRetry("failing for good, as asked");
      }
      return JobResult.success();
    });
    return q;
  }

  WorkerPool started(WorkerPool pool) {
    toClose.add(pool);
    return pool.start();
  }

  @Test
  void a_claim_whose_commit_reply_was_lost_gives_its_jobs_back_at_once_without_counting_the_attempt() {
    JobQueue queue = queue(Duration.ofSeconds(60));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(queue.enqueue(JobRequest.of("work").withMaxAttempts(1)).id());
    }
    faults.failCommits(Fault.LOSE_ANSWER, 1, CLAIM);

    started(queue.newWorkerPool(4));

    Await.until("every job succeeded", WAIT, () -> observer.stats().count(JobState.SUCCEEDED) == ids.size());
    assertThat(faults.commitsFailed()).isEqualTo(1);
    for (long id : ids) {
      assertThat(runs.get(id)).as("runs of job %s", id).hasValue(1);
      assertThat(observer.job(id).orElseThrow().attempt()).isEqualTo(1);
      assertThat(observer.history(id)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.SUCCEEDED);
    }
  }

  @Test
  void an_outcome_whose_commit_reply_was_lost_is_written_once() {
    JobQueue queue = queue(Duration.ofSeconds(60));
    long ok = queue.enqueue(JobRequest.of("work")).id();
    long retried = queue.enqueue(JobRequest.of("work").withPayload("{\"fail-once\": true}")).id();
    faults.failCommits(Fault.LOSE_ANSWER, 2, COMPLETE);

    started(queue.newWorkerPool(1));
    Await.until("both jobs succeeded", WAIT, () -> observer.stats().count(JobState.SUCCEEDED) == 2);
    faults.failCommits(Fault.LOSE_ANSWER, 1, SETTLE);
    long failed = queue.enqueue(JobRequest.of("work").withPayload("{\"fail-for-good\": true}")).id();
    Await.until("the third job failed", WAIT, () -> observer.job(failed).orElseThrow().state() == JobState.FAILED);

    assertThat(faults.commitsFailed()).as("a completion and a failure hit by the fault").isGreaterThanOrEqualTo(2);
    assertThat(runs.get(ok)).hasValue(1);
    assertThat(runs.get(retried)).hasValue(2);
    assertThat(runs.get(failed)).hasValue(1);
    assertThat(observer.history(ok)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.SUCCEEDED);
    assertThat(observer.history(retried)).extracting(JobRun::outcome)
        .containsExactly(JobRun.Outcome.FAILED, JobRun.Outcome.SUCCEEDED);
    assertThat(observer.history(failed)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.FAILED);
  }

  @Test
  void an_outcome_that_cannot_be_written_within_the_window_is_given_up_and_the_job_is_rescued() {
    Duration lease = Duration.ofSeconds(1);
    JobQueue queue = queue(lease);
    long id = queue.enqueue(JobRequest.of("work")).id();
    faults.failCommits(Fault.ROLL_BACK, Integer.MAX_VALUE, COMPLETE);

    started(queue.newWorkerPool(1));
    Await.until("the job ran once", WAIT, () -> runs.containsKey(id));
    Await.until("the pool gave the outcome up and the job ran again", WAIT, () -> runs.get(id).get() == 2);
    faults.heal();

    Await.until("the job succeeded", WAIT, () -> observer.job(id).orElseThrow().state() == JobState.SUCCEEDED);
    assertThat(observer.history(id)).extracting(JobRun::outcome)
        .containsExactly(JobRun.Outcome.LEASE_EXPIRED, JobRun.Outcome.SUCCEEDED);
  }

  @Test
  void terminating_the_pools_backends_under_load_neither_loses_nor_repeats_a_run() throws Exception {
    underKills(60);
  }

  /** The same for longer: {@code mvn -pl scheduler -am verify -Psoak}. */
  @Test
  @Tag("soak")
  @Timeout(900)
  void terminating_the_pools_backends_under_a_long_load_neither_loses_nor_repeats_a_run() throws Exception {
    underKills(1_000);
  }

  private void underKills(int n) throws Exception {
    JobQueue queue = queue(Duration.ofSeconds(60));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String payload = i % 7 == 3 ? "{\"fail-once\": true}" : i % 11 == 5 ? "{\"fail-for-good\": true}" : "{\"slow\": true}";
      ids.add(queue.enqueue(JobRequest.of("work").withPayload(payload)).id());
    }
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger killed = new AtomicInteger();
    PostgresDatabase db = postgres.database();
    Thread killer = new Thread(() -> {
      try (Connection admin = DriverManager.getConnection(PostgresUrls.url(db)); Statement s = admin.createStatement()) {
        while (!done.get()) {
          // the backends inside a statement or transaction: claims, completions, renewals in flight
          try (ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
              + "WHERE application_name = '" + POOL_APP + "' AND state <> 'idle' AND pid <> pg_backend_pid()")) {
            rs.next();
            killed.addAndGet(rs.getInt(1));
          }
          Thread.sleep(50); // the fault's pace: between kills the pool reconnects and gets work done
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "backend-killer");

    started(queue.newWorkerPool(4));
    killer.start();
    try {
      Await.value("every job finished", Duration.ofSeconds(n / 2 + 60), observer::stats,
          stats -> stats.count(JobState.SUCCEEDED) + stats.count(JobState.FAILED) == n);
    } finally {
      done.set(true);
      killer.join();
    }

    assertThat(killed.get()).as("backends terminated").isPositive();
    for (int i = 0; i < n; i++) {
      long id = ids.get(i);
      boolean failOnce = i % 7 == 3;
      boolean failForGood = !failOnce && i % 11 == 5;
      assertThat(runs.get(id)).as("runs of job %s", id).hasValue(failOnce ? 2 : 1);
      assertThat(observer.job(id).orElseThrow().state()).as("state of job %s", id)
          .isEqualTo(failForGood ? JobState.FAILED : JobState.SUCCEEDED);
      assertThat(observer.history(id)).as("history of job %s", id).extracting(JobRun::outcome).containsExactlyElementsOf(
          failOnce ? List.of(JobRun.Outcome.FAILED, JobRun.Outcome.SUCCEEDED)
              : List.of(failForGood ? JobRun.Outcome.FAILED : JobRun.Outcome.SUCCEEDED));
    }
  }
}
