package dev.fabula.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.FailurePolicy;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.TimeSource;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.testkit.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Each health check, up and failing, on a real database: the subclass supplies it. */
abstract class HealthContract {
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicInteger STORES = new AtomicInteger();

  /** A store on its own tables ({@code config}'s prefix), migrated on open, with its own pool. */
  protected abstract JdbcEventStore openStore(JdbcConfig config);

  /** The table prefix of the last store {@link #open()} opened. */
  String prefix;

  JdbcEventStore open() {
    prefix = "health" + STORES.incrementAndGet() + "_";
    return openStore(JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix));
  }

  static EventData event(int n) {
    return EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }


  static HealthCheck check(HealthReport report, String name) {
    return report.check(name).orElseThrow(() -> new AssertionError("no check " + name + " in " + report));
  }

  @Test
  void a_migrated_reachable_store_is_ready_with_every_components_schema_current() {
    try (JdbcEventStore store = open(); Health health = Health.of(HealthConfig.DEFAULT, List.of(StoreHealth.of(store)))) {
      Projections.open(store);
      JobQueue.open(store, JobQueueConfig.DEFAULT);

      HealthReport ready = health.readiness();

      assertThat(ready.status()).as(ready.toString()).isEqualTo(Status.UP);
      assertThat(ready.healthy()).isTrue();
      assertThat(check(ready, "store").status()).isEqualTo(Status.UP);
      HealthCheck schema = check(ready, "schema");
      assertThat(schema.status()).isEqualTo(Status.UP);
      assertThat(schema.details()).containsKeys("eventstore", "projections", "scheduler");
      assertThat(health.liveness().checks()).as("the store is no liveness check").isEmpty();
    }
  }

  @Test
  void a_schema_behind_the_library_is_not_ready_and_says_to_migrate() {
    try (JdbcEventStore store = open(); Health health = Health.of(HealthConfig.DEFAULT, List.of(StoreHealth.of(store)))) {
      JobQueue.open(store, JobQueueConfig.DEFAULT);
      int needed = store.schemaVersions().stream().filter(v -> v.component().equals("scheduler")).findFirst().orElseThrow().required();
      // As after a restore from a backup taken before the last migration.
      String table = (store.jdbcConfig().schema() == null ? "" : store.jdbcConfig().schema() + ".") + prefix + "schema_version";
      store.jdbi().useHandle(h -> h.createUpdate("DELETE FROM " + table + " WHERE component = 'scheduler' AND version = :v")
          .bind("v", needed).execute());

      HealthReport ready = health.readiness();

      assertThat(ready.status()).isEqualTo(Status.DOWN);
      assertThat(check(ready, "store").status()).isEqualTo(Status.UP);
      HealthCheck schema = check(ready, "schema");
      assertThat(schema.status()).isEqualTo(Status.DOWN);
      assertThat(schema.message()).contains("scheduler is at version " + (needed - 1) + " but this library needs " + needed)
          .contains("migrate");
      assertThat(schema.details()).containsEntry("scheduler", (needed - 1) + "/" + needed);
    }
  }

  @Test
  void a_running_projection_is_ready_until_its_lag_exceeds_the_limit() throws Exception {
    try (JdbcEventStore store = open()) {
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Projection orders = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {
        if (event.payload().get("n").asInt() == 2) {
          entered.countDown();
          if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test did not release the handler");
          }
        }
      }));
      long first = store.append("order-1", ExpectedVersion.noStream(), List.of(event(1))).lastPosition();
      Projections projections = Projections.open(store);
      HealthConfig strict = HealthConfig.DEFAULT.withMaxProjectionLag(Duration.ZERO);
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orders)).start();
          Health lenient = Health.of(HealthConfig.DEFAULT, List.of(ProjectionHealth.of(projections, HealthConfig.DEFAULT)));
          Health health = Health.of(strict, List.of(ProjectionHealth.of(projections, strict)))) {
        projections.awaitPosition(orders.id(), first, WAIT);
        Await.until("the projection to run", WAIT, () -> check(health.readiness(), "projection:order-list v1").status() == Status.UP);
        assertThat(check(health.readiness(), "projection:order-list v1").message()).contains("caught up");

        long head = store.append("order-2", ExpectedVersion.noStream(), List.of(event(2))).lastPosition();
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Await.until("the waiting event to age", WAIT, () -> projections.status(orders.id()).lag().compareTo(Duration.ZERO) > 0);

        HealthCheck late = check(health.readiness(), "projection:order-list v1");
        assertThat(late.status()).isEqualTo(Status.DOWN);
        assertThat(late.message()).contains("behind by 1 events").contains("maxProjectionLag");
        assertThat(late.details()).containsEntry("lagEvents", "1");
        assertThat(check(lenient.readiness(), "projection:order-list v1").status()).as("within a minute").isEqualTo(Status.UP);

        release.countDown();
        projections.awaitPosition(orders.id(), head, WAIT);
        Await.until("the projection to catch up", WAIT, () -> check(health.readiness(), "projection:order-list v1").status() == Status.UP);
      }
    }
  }

  @Test
  void a_projection_without_a_runner_or_stopped_by_an_error_is_down_with_the_error() throws Exception {
    try (JdbcEventStore store = open()) {
      Projection orders = Projection.transactional("orders", TransactionalHandler.eachEvent((handle, e) -> {
        if (e.payload().get("n").asInt() == 2) {
          throw new IllegalStateException("order 2 is broken");
        }
      }));
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1), event(2)));
      Projections projections = Projections.open(store);
      RunnerConfig fast = RunnerConfig.DEFAULT.withBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).withMaxAttempts(2);
      try (Health health = Health.of(HealthConfig.DEFAULT, List.of(ProjectionHealth.of(projections, HealthConfig.DEFAULT)))) {
        try (ProjectionRunner runner = projections.runner(fast, List.of(orders)).start()) {
          Await.until("the projection to fail", WAIT, () -> "FAILED".equals(check(health.readiness(), "projection:orders v1").details().get("state")));
          HealthCheck failed = check(health.readiness(), "projection:orders v1");
          assertThat(failed.details()).containsEntry("state", "FAILED").containsKey("failedPosition");
          assertThat(failed.message()).contains("failed at position").contains("order 2 is broken").contains("resume");
        }
        Projection other = Projection.transactional("never-run", TransactionalHandler.eachEvent((handle, e) -> {}));
        try (ProjectionRunner runner = projections.runner(fast, List.of(other)).start()) {
          projections.awaitPosition(other.id(), store.headPosition(), WAIT);
        }
        HealthReport ready = health.readiness();
        assertThat(check(ready, "projection:never-run v1").status()).isEqualTo(Status.DOWN);
        assertThat(check(ready, "projection:never-run v1").message()).contains("stopped: no runner holds its lease");
        assertThat(ProjectionHealth.of(projections, HealthConfig.DEFAULT).ignoring(java.util.Set.of("never-run", "orders")).check())
            .isEmpty();
      }
    }
  }

  @Test
  void parked_events_over_the_threshold_degrade_the_report_but_not_readiness() throws Exception {
    try (JdbcEventStore store = open()) {
      Projection orders = Projection.transactional("orders", TransactionalHandler.eachEvent((handle, e) -> {
        if (e.payload().get("n").asInt() == 2) {
          throw new IllegalStateException("order 2 is broken");
        }
      })).withFailurePolicy(FailurePolicy.PARK);
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1)));
      long head = store.append("order-2", ExpectedVersion.noStream(), List.of(event(2))).lastPosition();
      Projections projections = Projections.open(store);
      RunnerConfig fast = RunnerConfig.DEFAULT.withBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).withMaxAttempts(2);
      try (ProjectionRunner runner = projections.runner(fast, List.of(orders)).start();
          Health health = Health.of(HealthConfig.DEFAULT, List.of(
              ProjectionHealth.of(projections, HealthConfig.DEFAULT), ProjectionHealth.parked(projections, HealthConfig.DEFAULT)));
          Health tolerant = Health.of(HealthConfig.DEFAULT, List.of(
              ProjectionHealth.parked(projections, HealthConfig.DEFAULT.withMaxParkedEvents(1))))) {
        Await.until("the projection to pass the parked event", WAIT, () -> projections.status(orders.id()).checkpoint() >= head);

        HealthReport all = health.report();
        HealthCheck parked = check(all, "projection:orders v1.parked");
        assertThat(parked.status()).isEqualTo(Status.DEGRADED);
        assertThat(parked.kind()).isEqualTo(HealthCheck.Kind.ATTENTION);
        assertThat(parked.message()).contains("1 parked events, more than 0").contains("retry");
        assertThat(all.status()).isEqualTo(Status.DEGRADED);
        assertThat(all.healthy()).as("degraded still serves").isTrue();
        assertThat(health.readiness().status()).isEqualTo(Status.UP);
        assertThat(check(tolerant.report(), "projection:orders v1.parked").status()).isEqualTo(Status.UP);
      }
    }
  }

  /** A system clock that throws once in a thread whose name starts with an armed prefix. */
  static final class FaultyClock extends Clock {
    private final Map<String, Supplier<Error>> armed = new ConcurrentHashMap<>();

    void failNextIn(String threadPrefix, Supplier<Error> error) {
      armed.put(threadPrefix, error);
    }

    @Override
    public Instant instant() {
      String name = Thread.currentThread().getName();
      for (String prefix : armed.keySet()) {
        if (name.startsWith(prefix)) {
          Supplier<Error> error = armed.remove(prefix);
          if (error != null) {
            throw error.get();
          }
        }
      }
      return Instant.now();
    }

    @Override
    public ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void a_pool_whose_threads_died_fails_liveness_and_a_disabled_one_is_reported_disabled() throws Exception {
    FaultyClock clock = new FaultyClock();
    try (JdbcEventStore store = open()) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withClock(clock).withTime(TimeSource.of(clock))
          .withPollInterval(Duration.ofMillis(20)));
      queue.register("noop", ctx -> JobResult.success());
      try (WorkerPool pool = queue.newWorkerPool(1).start();
          Health health = Health.of(HealthConfig.DEFAULT, List.of(
              SchedulerHealth.pool("main", pool),
              HealthIndicator.disabled("pool:reports", HealthCheck.Kind.LIVENESS, "report workers run in the batch service"),
              JvmHealth.deadlocks()))) {
        HealthReport live = health.liveness();
        assertThat(live.status()).isEqualTo(Status.UP);
        assertThat(check(live, "pool:main").status()).isEqualTo(Status.UP);
        assertThat(check(live, "pool:reports").status()).isEqualTo(Status.DISABLED);
        assertThat(check(live, "deadlocks").status()).isEqualTo(Status.UP);

        clock.failNextIn("fabula-dispatcher", () -> new OutOfMemoryError("injected: Java heap space"));
        Await.until("the pool to report its dead dispatcher", WAIT, () -> pool.failure().isPresent());

        live = health.liveness();
        assertThat(live.status()).isEqualTo(Status.DOWN);
        assertThat(live.healthy()).isFalse();
        HealthCheck dead = check(live, "pool:main");
        assertThat(dead.status()).isEqualTo(Status.DOWN);
        assertThat(dead.message()).contains("threads died").contains("dispatcher").contains("OutOfMemoryError");
        assertThat(check(live, "pool:reports").status()).as("disabled stays disabled, not down").isEqualTo(Status.DISABLED);
      }
    }
  }

  @Test
  void failed_jobs_over_the_threshold_degrade_the_report_and_the_kill_switch_is_disabled_not_down() throws Exception {
    try (JdbcEventStore store = open()) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(Duration.ofMillis(20)));
      queue.register("broken", ctx -> JobResult.failWithoutRetry("the printer is on fire"));
      long a = queue.enqueue(JobRequest.of("broken")).id();
      long b = queue.enqueue(JobRequest.of("broken")).id();
      HealthConfig config = HealthConfig.DEFAULT.withMaxFailedJobs(1);
      try (Health health = Health.of(config, List.of(SchedulerHealth.of(queue, config)))) {
        assertThat(check(health.report(), "jobs.failed").status()).isEqualTo(Status.UP);
        try (WorkerPool pool = queue.newWorkerPool(1).start()) {
          Await.until("both jobs to fail", WAIT, () -> queue.job(a).orElseThrow().state() == JobState.FAILED
              && queue.job(b).orElseThrow().state() == JobState.FAILED);
        }

        HealthReport report = health.report();
        HealthCheck failed = check(report, "jobs.failed");
        assertThat(failed.status()).isEqualTo(Status.DEGRADED);
        assertThat(failed.message()).contains("2 failed jobs, more than 1");
        assertThat(report.status()).isEqualTo(Status.DEGRADED);
        assertThat(health.readiness().checks()).as("failed jobs are no readiness check").isEmpty();
        assertThat(check(report, "jobs.processing").status()).isEqualTo(Status.UP);

        queue.pauseAll();
        HealthCheck processing = check(health.report(), "jobs.processing");
        assertThat(processing.status()).isEqualTo(Status.DISABLED);
        assertThat(processing.message()).contains("kill switch");
      }
    }
  }

  @Test
  void an_indicator_that_hangs_or_throws_is_down_within_the_time_limit() {
    CountDownLatch never = new CountDownLatch(1);
    HealthIndicator hanging = new HealthIndicator() {
      @Override public String name() { return "hanging"; }
      @Override public HealthCheck.Kind kind() { return HealthCheck.Kind.READINESS; }
      @Override public List<HealthCheck> check() {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return List.of();
      }
    };
    HealthIndicator throwing = new HealthIndicator() {
      @Override public String name() { return "throwing"; }
      @Override public HealthCheck.Kind kind() { return HealthCheck.Kind.READINESS; }
      @Override public List<HealthCheck> check() { throw new IllegalStateException("the cache is gone"); }
    };
    try (Health health = Health.of(HealthConfig.DEFAULT.withTimeout(Duration.ofMillis(200)), List.of(hanging, throwing))) {
      HealthReport ready = health.readiness();
      assertThat(check(ready, "hanging").status()).isEqualTo(Status.DOWN);
      assertThat(check(ready, "hanging").message()).contains("no answer within 0.2s");
      assertThat(check(ready, "throwing").message()).contains("the check failed: the cache is gone");
    }
    Health closed = Health.of(HealthConfig.DEFAULT, List.of(throwing));
    closed.close();
    closed.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(closed::readiness)
        .isInstanceOf(dev.fabula.EventStoreException.class).hasMessageContaining("closed");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Health.of(HealthConfig.DEFAULT, List.of(throwing, throwing)))
        .hasMessageContaining("two health indicators are named 'throwing'");
  }
}
