package dev.fabula.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamAppend;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
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
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.testkit.Await;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The meters move as the store, the projections and the scheduler work, on a real database: the
 * subclass supplies it. Gauges poll at every read here ({@link Duration#ZERO}).
 */
abstract class MetricsContract {
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicInteger STORES = new AtomicInteger();
  /** Poll at every read, so a gauge shows the database as it is now. */
  static final MetricsConfig NOW = MetricsConfig.DEFAULT.withPollInterval(Duration.ZERO);

  /** A store on its own tables ({@code config}'s prefix), migrated on open, with its own pool. */
  protected abstract JdbcEventStore openStore(JdbcConfig config);

  private JdbcEventStore open() {
    return openStore(JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("metrics" + STORES.incrementAndGet() + "_"));
  }

  static EventData event(int n) {
    return EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  static double gauge(MeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  /** Reads every meter, as a registry's scrape does. */
  static void scrape(MeterRegistry registry) {
    registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()));
  }

  static Timer appendTimer(MeterRegistry registry, String outcome) {
    return registry.get("fabula.store.append").tag("outcome", outcome).timer();
  }


  @Test
  void appends_are_counted_and_timed_by_outcome_with_their_events_and_replays() {
    try (JdbcEventStore store = open(); StoreMetrics metrics = StoreMetrics.of(store)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      metrics.bindTo(registry);
      metrics.bindTo(registry); // twice: harmless

      List<EventData> first = List.of(event(1), event(2));
      store.append("order-1", ExpectedVersion.noStream(), first);
      store.appendAll(List.of(
          new StreamAppend("order-2", ExpectedVersion.noStream(), List.of(event(3))),
          new StreamAppend("order-3", ExpectedVersion.noStream(), List.of(event(4), event(5)))));
      store.append("order-1", ExpectedVersion.noStream(), first); // an idempotent retry
      assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(), List.of(event(6))))
          .isInstanceOf(ConcurrencyException.class);
      store.deleteStream("order-2", ExpectedVersion.any());
      assertThatThrownBy(() -> store.append("order-2", ExpectedVersion.any(), List.of(event(7))))
          .isInstanceOf(dev.fabula.StreamDeletedException.class);

      assertThat(appendTimer(registry, "success").count()).isEqualTo(3);
      assertThat(appendTimer(registry, "success").totalTime(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(appendTimer(registry, "conflict").count()).isEqualTo(1);
      assertThat(appendTimer(registry, "stream_deleted").count()).isEqualTo(1);
      assertThat(appendTimer(registry, "error").count()).isZero();
      assertThat(registry.get("fabula.store.append.events").summary().count()).isEqualTo(3);
      assertThat(registry.get("fabula.store.append.events").summary().totalAmount()).isEqualTo(2 + 3 + 2);
      assertThat(registry.get("fabula.store.append.replays").counter().count()).isEqualTo(1);
      assertThat(appendTimer(registry, "success").takeSnapshot().histogramCounts())
          .as("no histogram buckets unless asked").isEmpty();
    }
  }

  @Test
  void reads_of_a_stream_and_pages_of_the_log_are_counted_and_timed_with_their_events() {
    try (JdbcEventStore store = open(); StoreMetrics metrics = StoreMetrics.of(store)) {
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1), event(2)));
      store.append("order-2", ExpectedVersion.noStream(), List.of(event(3)));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      metrics.bindTo(registry);

      assertThat(store.readStream("order-1")).hasSize(2);
      assertThat(store.readStream("order-9")).isEmpty();
      try (var all = store.readAll(dev.fabula.LogQuery.all())) {
        assertThat(all.count()).isEqualTo(3);
      }

      Timer streams = registry.get("fabula.store.read").tag("read", "stream").timer();
      assertThat(streams.count()).isEqualTo(2);
      assertThat(streams.totalTime(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(registry.get("fabula.store.read.events").tag("read", "stream").summary().totalAmount()).isEqualTo(2);
      Timer pages = registry.get("fabula.store.read").tag("read", "log_page").timer();
      assertThat(pages.count()).isPositive();
      assertThat(registry.get("fabula.store.read.events").tag("read", "log_page").summary().totalAmount()).isEqualTo(3);
    }
  }

  @Test
  void an_append_in_doubt_has_an_outcome_of_its_own() {
    var inDoubt = new dev.fabula.AppendOutcomeUnknownException("appending to stream 'order-1'",
        List.of(java.util.UUID.randomUUID()), "the database did not answer", new RuntimeException("connection reset"));
    assertThat(StoreMetrics.Outcome.of(inDoubt)).isEqualTo(StoreMetrics.Outcome.UNKNOWN);
    assertThat(StoreMetrics.Outcome.UNKNOWN.tag()).isEqualTo("unknown");
    assertThat(StoreMetrics.Outcome.of(new dev.fabula.StoreUnavailableException("down", new RuntimeException("refused"))))
        .isEqualTo(StoreMetrics.Outcome.UNAVAILABLE);
    try (JdbcEventStore store = open(); StoreMetrics metrics = StoreMetrics.of(store)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      metrics.bindTo(registry);
      assertThat(appendTimer(registry, "unknown").count()).as("registered from the start, at 0").isZero();
    }
  }

  @Test
  void two_stores_in_one_registry_keep_their_pools_and_meters_apart() {
    try (JdbcEventStore billing = open(); JdbcEventStore shipping = open();
        StoreMetrics billingMetrics = StoreMetrics.of(billing, MetricsConfig.DEFAULT.withTags(List.of(io.micrometer.core.instrument.Tag.of("store", "billing"))));
        StoreMetrics shippingMetrics = StoreMetrics.of(shipping, MetricsConfig.DEFAULT.withTags(List.of(io.micrometer.core.instrument.Tag.of("store", "shipping"))))) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      billingMetrics.bindTo(registry);
      shippingMetrics.bindTo(registry);
      String billingPool = ((com.zaxxer.hikari.HikariDataSource) billing.ownedPool().orElseThrow()).getPoolName();
      String shippingPool = ((com.zaxxer.hikari.HikariDataSource) shipping.ownedPool().orElseThrow()).getPoolName();
      assertThat(billingPool).isNotEqualTo(shippingPool).startsWith("fabula-");

      long shippingAcquiredBefore = registry.get("hikaricp.connections.acquire").tag("pool", shippingPool).timer().count();
      for (int i = 0; i < 3; i++) {
        billing.append("order-" + i, ExpectedVersion.noStream(), List.of(event(i)));
      }

      assertThat(registry.get("hikaricp.connections.max").gauges()).hasSize(2);
      assertThat(registry.get("hikaricp.connections.acquire").tag("pool", billingPool).timer().count()).isGreaterThanOrEqualTo(3);
      assertThat(registry.get("hikaricp.connections.acquire").tag("pool", shippingPool).timer().count())
          .as("the other store's pool did not move").isEqualTo(shippingAcquiredBefore);
      assertThat(registry.get("fabula.store.append").tags("store", "billing", "outcome", "success").timer().count()).isEqualTo(3);
      assertThat(registry.get("fabula.store.append").tags("store", "shipping", "outcome", "success").timer().count()).isZero();

      StoreMetrics untagged = StoreMetrics.of(shipping);
      StoreMetrics sameTags = StoreMetrics.of(shipping, MetricsConfig.DEFAULT.withTags(List.of(io.micrometer.core.instrument.Tag.of("store", "billing"))));
      untagged.bindTo(registry); // no other binder has no tags: fine
      assertThatThrownBy(() -> sameTags.bindTo(registry)).isInstanceOf(EventStoreException.class)
          .hasMessageContaining("same tags").hasMessageContaining("store=billing").hasMessageContaining("withTags");
      untagged.close();
      sameTags.close();
    }
  }

  @Test
  void the_stores_own_pool_reports_through_hikaricps_meters() {
    try (JdbcEventStore store = open(); StoreMetrics metrics = StoreMetrics.of(store)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      metrics.bindTo(registry);
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1)));

      assertThat(registry.get("hikaricp.connections.max").gauge().value()).isEqualTo(JdbcConfig.DEFAULT_MAX_POOL_SIZE);
      assertThat(registry.get("hikaricp.connections.acquire").timer().count()).isPositive();
    }
  }

  @Test
  void closing_the_metrics_removes_their_meters_and_stops_observing() {
    try (JdbcEventStore store = open()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      StoreMetrics metrics = StoreMetrics.of(store);
      metrics.bindTo(registry);
      Timer success = appendTimer(registry, "success");
      metrics.close();
      metrics.close();

      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1)));

      assertThat(registry.find("fabula.store.append").timers()).isEmpty();
      assertThat(success.count()).isZero();
      assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(EventStoreException.class).hasMessageContaining("closed");
      StoreMetrics other = StoreMetrics.of(store);
      other.bindTo(registry);
      assertThatThrownBy(() -> other.bindTo(new SimpleMeterRegistry()))
          .isInstanceOf(EventStoreException.class).hasMessageContaining("another registry");
      other.close();
    }
  }

  @Test
  void a_projections_lag_falls_to_zero_once_it_has_caught_up() throws Exception {
    try (JdbcEventStore store = open()) {
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Projection orders = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {
        entered.countDown();
        if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test did not release the handler");
        }
      }));
      long head = store.append("order-1", ExpectedVersion.noStream(), List.of(event(1), event(2), event(3))).lastPosition();
      Projections projections = Projections.open(store);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orders)).start();
          ProjectionMetrics metrics = ProjectionMetrics.of(projections, NOW)) {
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        metrics.bindTo(registry);
        String[] tags = {"projection", "order-list", "version", "1"};

        assertThat(gauge(registry, "fabula.projections")).isEqualTo(1);
        assertThat(gauge(registry, "fabula.projection.lag.events", tags)).isEqualTo(3);
        assertThat(gauge(registry, "fabula.projection.checkpoint", tags)).isZero();
        assertThat(gauge(registry, "fabula.projection.head", tags)).isEqualTo(head);
        assertThat(registry.get("fabula.projection.lag").tags(tags).timeGauge().value(TimeUnit.SECONDS)).isNotNegative();

        release.countDown();
        projections.awaitPosition(orders.id(), head, WAIT);
        Await.until("the status to say running", WAIT, () -> gauge(registry, "fabula.projection.state", "projection", "order-list",
            "version", "1", "state", "running") == 1);

        assertThat(gauge(registry, "fabula.projection.lag.events", tags)).isZero();
        assertThat(registry.get("fabula.projection.lag").tags(tags).timeGauge().value(TimeUnit.SECONDS)).isZero();
        assertThat(gauge(registry, "fabula.projection.checkpoint", tags)).isEqualTo(head);
        assertThat(gauge(registry, "fabula.projection.dead.letters", tags)).isZero();
        assertThat(registry.get("fabula.projection.events.applied").tags(tags).counter().count()).isEqualTo(3);
        assertThat(registry.get("fabula.projection.batch").tags(tags).timer().count()).isPositive();
        assertThat(gauge(registry, "fabula.projection.rebuild.progress", tags)).isNaN();
        assertThat(registry.get("fabula.projection.state").tags(tags).gauges())
            .as("one state gauge per state, only one of them 1").hasSize(5)
            .extracting(g -> g.value()).containsOnly(0.0, 1.0).filteredOn(v -> v == 1.0).hasSize(1);
      }
    }
  }

  @Test
  void a_rebuild_reports_progress_and_no_lag_in_seconds_then_lag_again_once_caught_up() throws Exception {
    try (JdbcEventStore store = open()) {
      java.util.concurrent.atomic.AtomicBoolean block = new java.util.concurrent.atomic.AtomicBoolean();
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Projection orders = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {
        if (block.get()) {
          entered.countDown();
          if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test did not release the handler");
          }
        }
      })).withReset(handle -> {}); // a reset hook: rebuildable
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1), event(2)));
      long head = store.append("order-2", ExpectedVersion.noStream(), List.of(event(3), event(4))).lastPosition();
      Projections projections = Projections.open(store);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      String[] tags = {"projection", "order-list", "version", "1"};
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orders)).start();
          ProjectionMetrics metrics = ProjectionMetrics.of(projections, NOW)) {
        projections.awaitPosition(orders.id(), head, WAIT);
        metrics.bindTo(registry);
        block.set(true);

        projections.rebuild(orders.id());
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(gauge(registry, "fabula.projection.state", "projection", "order-list", "version", "1", "state", "rebuilding"))
            .isEqualTo(1);
        assertThat(registry.get("fabula.projection.lag").tags(tags).timeGauge().value(TimeUnit.SECONDS)).isNaN();
        assertThat(gauge(registry, "fabula.projection.rebuild.progress", tags)).isZero();
        assertThat(gauge(registry, "fabula.projection.lag.events", tags)).isEqualTo(4);

        block.set(false);
        release.countDown();
        Await.until("the rebuild to catch up", WAIT, () -> gauge(registry, "fabula.projection.state", "projection", "order-list",
            "version", "1", "state", "running") == 1);
        assertThat(registry.get("fabula.projection.lag").tags(tags).timeGauge().value(TimeUnit.SECONDS)).isZero();
        assertThat(gauge(registry, "fabula.projection.rebuild.progress", tags)).isNaN();
        assertThat(gauge(registry, "fabula.projection.checkpoint", tags)).isEqualTo(head);
      }
    }
  }

  @Test
  void retries_and_parked_events_are_counted_and_the_dead_letters_shown() throws Exception {
    try (JdbcEventStore store = open()) {
      Projection orders = Projection.transactional("orders", TransactionalHandler.eachEvent((handle, e) -> {
        if (e.payload().get("n").asInt() == 2) {
          throw new IllegalStateException("order 2 is broken");
        }
      })).withFailurePolicy(dev.fabula.projections.FailurePolicy.PARK);
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1)));
      store.append("order-2", ExpectedVersion.noStream(), List.of(event(2)));
      long head = store.append("order-3", ExpectedVersion.noStream(), List.of(event(3))).lastPosition();
      Projections projections = Projections.open(store);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      RunnerConfig fast = RunnerConfig.DEFAULT.withBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).withMaxAttempts(3);
      try (ProjectionMetrics metrics = ProjectionMetrics.of(projections, NOW)) {
        metrics.bindTo(registry);
        try (ProjectionRunner runner = projections.runner(fast, List.of(orders)).start()) {
          Await.until("the projection to pass the parked event", WAIT, () -> projections.status(orders.id()).checkpoint() >= head);
        }
        String[] tags = {"projection", "orders", "version", "1"};
        assertThat(registry.get("fabula.projection.retries").tags(tags).counter().count()).isEqualTo(2);
        assertThat(registry.get("fabula.projection.events.parked").tags(tags).counter().count()).isEqualTo(1);
        assertThat(registry.get("fabula.projection.events.applied").tags(tags).counter().count()).isEqualTo(2);
        scrape(registry); // the first poll after the runner started finds the version: its gauges appear
        assertThat(gauge(registry, "fabula.projection.dead.letters", tags)).isEqualTo(1);
      }
      assertThat(registry.find("fabula.projection.retries").counters()).as("closed: removed").isEmpty();
    }
  }

  @Test
  void job_gauges_count_jobs_by_state_and_show_the_kill_switch() throws Exception {
    try (JdbcEventStore store = open()) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (SchedulerMetrics metrics = SchedulerMetrics.of(queue, NOW)) {
        metrics.bindTo(registry);
        for (int i = 0; i < 3; i++) {
          queue.enqueue(JobRequest.of("send-receipt"));
        }
        assertThat(gauge(registry, "fabula.scheduler.jobs", "state", "pending")).isEqualTo(3);
        assertThat(gauge(registry, "fabula.scheduler.jobs", "state", "succeeded")).isZero();
        assertThat(registry.get("fabula.scheduler.jobs.oldest.due").timeGauge().value(TimeUnit.SECONDS)).isNotNegative();
        assertThat(gauge(registry, "fabula.scheduler.kill.switch")).isZero();
        queue.pauseAll();
        assertThat(gauge(registry, "fabula.scheduler.kill.switch")).isEqualTo(1);
        queue.resumeAll();

        queue.register("send-receipt", ctx -> JobResult.success());
        queue.register("broken", ctx -> {
          throw new IllegalStateException("broken");
        });
        queue.enqueue(JobRequest.of("broken").withQueue("mail").withMaxAttempts(1));
        try (WorkerPool pool = queue.newWorkerPool(2).start()) {
          Await.until("three jobs to succeed and one to fail", WAIT, () -> queue.stats().count(JobState.SUCCEEDED) == 3
              && queue.stats().count(JobState.FAILED) == 1);
          assertThat(gauge(registry, "fabula.scheduler.workers.live")).isPositive();
        }
        Timer pickup = registry.get("fabula.scheduler.job.pickup").tags("queue", "default", "type", "send-receipt").timer();
        assertThat(pickup.count()).isEqualTo(3);
        assertThat(registry.get("fabula.scheduler.job.run").tags("queue", "default", "type", "send-receipt", "outcome", "succeeded")
            .timer().count()).isEqualTo(3);
        assertThat(registry.get("fabula.scheduler.job.run").tags("queue", "mail", "type", "broken", "outcome", "failed")
            .timer().count()).isEqualTo(1);
        assertThat(gauge(registry, "fabula.scheduler.jobs", "state", "succeeded")).isEqualTo(3);
        assertThat(gauge(registry, "fabula.scheduler.jobs", "state", "failed")).isEqualTo(1);
        assertThat(gauge(registry, "fabula.scheduler.jobs", "state", "pending")).isZero();
        assertThat(gauge(registry, "fabula.scheduler.attempts.last.minute", "outcome", "succeeded")).isEqualTo(3);
        assertThat(registry.get("fabula.scheduler.jobs.oldest.due").timeGauge().value(TimeUnit.SECONDS)).isZero();
      }
      assertThat(registry.find("fabula.scheduler.jobs").gauges()).as("closed: removed").isEmpty();
      assertThat(registry.find("fabula.scheduler.job.run").timers()).as("closed: removed").isEmpty();
    }
  }

  @Test
  void job_gauges_per_queue_and_type_and_how_full_each_concurrency_limit_is() throws Exception {
    try (JdbcEventStore store = open()) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (SchedulerMetrics metrics = SchedulerMetrics.of(queue, NOW)) {
        metrics.bindTo(registry);
        queue.enqueue(JobRequest.of("send-receipt").withQueue("mail"));
        queue.enqueue(JobRequest.of("send-receipt").withQueue("mail"));
        queue.enqueue(JobRequest.of("render-pdf").withQueue("mail"));
        queue.enqueue(JobRequest.of("render-pdf").withQueue("mail"));
        queue.enqueue(JobRequest.of("render-pdf").withDelay(Duration.ofHours(1)));
        queue.setConcurrencyLimit(dev.fabula.scheduler.ConcurrencyLimit.ofJobType("render-pdf", 2));
        scrape(registry); // the first poll finds the queue and type pairs and the limit: their gauges appear

        assertThat(gauge(registry, "fabula.scheduler.queue.jobs", "queue", "mail", "type", "send-receipt", "state", "pending"))
            .isEqualTo(2);
        assertThat(gauge(registry, "fabula.scheduler.queue.jobs", "queue", "mail", "type", "render-pdf", "state", "pending"))
            .isEqualTo(2);
        assertThat(gauge(registry, "fabula.scheduler.queue.jobs", "queue", "default", "type", "render-pdf", "state", "pending"))
            .isEqualTo(1);
        assertThat(registry.get("fabula.scheduler.queue.oldest.due").tags("queue", "mail", "type", "render-pdf")
            .timeGauge().value(TimeUnit.SECONDS)).isNotNegative();
        assertThat(registry.get("fabula.scheduler.queue.oldest.due").tags("queue", "default", "type", "render-pdf")
            .timeGauge().value(TimeUnit.SECONDS)).as("not due for an hour").isZero();
        assertThat(registry.find("fabula.scheduler.queue.jobs").gauges()).as("6 states × 3 pairs").hasSize(18);
        assertThat(gauge(registry, "fabula.scheduler.limit.used", "scope", "job_type", "name", "render-pdf")).isZero();

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        queue.register("render-pdf", ctx -> {
          running.countDown();
          if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test did not release the job");
          }
          return JobResult.success();
        });
        try (WorkerPool pool = queue.newWorkerPool(4).start()) {
          assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
          assertThat(gauge(registry, "fabula.scheduler.limit.used", "scope", "job_type", "name", "render-pdf"))
              .as("two running of at most two").isEqualTo(1);
          assertThat(gauge(registry, "fabula.scheduler.queue.jobs", "queue", "mail", "type", "render-pdf", "state", "running"))
              .isEqualTo(2);
          release.countDown();
          Await.until("the pdfs to be rendered", WAIT, () -> gauge(registry, "fabula.scheduler.queue.jobs", "queue", "mail", "type",
              "render-pdf", "state", "succeeded") == 2);
        }
        queue.clearConcurrencyLimit(dev.fabula.scheduler.ConcurrencyLimit.Scope.JOB_TYPE, "render-pdf");
        scrape(registry);
        assertThat(registry.find("fabula.scheduler.limit.used").gauges()).as("a removed limit loses its gauge").isEmpty();
      }
      assertThat(registry.find("fabula.scheduler.queue.jobs").gauges()).as("closed: removed").isEmpty();
    }
  }

  @Test
  void an_imports_rows_events_and_failed_rows_and_the_captured_changes_pending() {
    try (JdbcEventStore store = open()) {
      String table = "legacy_" + STORES.get();
      store.jdbi().useHandle(h -> {
        h.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, wh INTEGER NOT NULL)");
        for (int i = 1; i <= 30; i++) {
          h.execute("INSERT INTO " + table + " (id, wh) VALUES (?, ?)", i, i * 10);
        }
      });
      dev.fabula.migration.Importer importer = dev.fabula.migration.Importer.open(store,
          dev.fabula.migration.ImportSource.query("readings", "SELECT id, wh FROM " + table, "id"),
          row -> {
            if (((Number) row.get("id")).longValue() % 10 == 0) {
              throw new IllegalArgumentException("reading " + row.get("id") + " has no unit");
            }
            return dev.fabula.migration.MappedRow.of("reading-" + row.get("id"), event(((Number) row.get("wh")).intValue()));
          }, dev.fabula.migration.ImportConfig.DEFAULT.withBatchSize(8));
      dev.fabula.migration.Capture capture = dev.fabula.migration.Capture.open(store);
      capture.install(table);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (MigrationMetrics imports = MigrationMetrics.ofImport(importer, NOW);
          MigrationMetrics captured = MigrationMetrics.ofCapture(capture, table, NOW)) {
        imports.bindTo(registry);
        captured.bindTo(registry);
        assertThat(registry.get("fabula.migration.import.rows").tag("import", "readings").functionCounter().count()).isZero();

        importer.run();
        store.jdbi().useHandle(h -> h.execute("UPDATE " + table + " SET wh = 1 WHERE id <= 2"));
        System.gc(); // the meters' state must survive a collection (Micrometer holds it weakly)

        assertThat(registry.get("fabula.migration.import.rows").tag("import", "readings").functionCounter().count()).isEqualTo(30);
        assertThat(registry.get("fabula.migration.import.events").tag("import", "readings").functionCounter().count()).isEqualTo(27);
        assertThat(gauge(registry, "fabula.migration.import.failed.rows", "import", "readings")).isEqualTo(3);
        assertThat(gauge(registry, "fabula.migration.capture.pending", "table", table)).isEqualTo(2);
      }
      assertThat(registry.find("fabula.migration.import.rows").meters()).as("closed: removed").isEmpty();
    }
  }

  @Test
  void migration_meters_keep_reading_after_the_binder_is_dropped_and_collected() {
    try (JdbcEventStore store = open()) {
      String table = "dropped_" + STORES.get();
      store.jdbi().useHandle(h -> {
        h.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, wh INTEGER NOT NULL)");
        h.execute("INSERT INTO " + table + " (id, wh) VALUES (1, 10), (2, 20)");
      });
      dev.fabula.migration.Importer importer = dev.fabula.migration.Importer.open(store,
          dev.fabula.migration.ImportSource.query("dropped", "SELECT id, wh FROM " + table, "id"),
          row -> dev.fabula.migration.MappedRow.of("reading-" + row.get("id"), event(((Number) row.get("wh")).intValue())),
          dev.fabula.migration.ImportConfig.DEFAULT);
      dev.fabula.migration.Capture capture = dev.fabula.migration.Capture.open(store);
      capture.install(table);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      MigrationMetrics.ofImport(importer, NOW).bindTo(registry); // as the guide shows: no reference kept
      MigrationMetrics.ofCapture(capture, table, NOW).bindTo(registry);
      importer.run();
      store.jdbi().useHandle(h -> h.execute("UPDATE " + table + " SET wh = 1 WHERE id = 1"));
      for (int i = 0; i < 3; i++) {
        System.gc(); // a weakly held state would be cleared here, and the meters would read 0 and NaN
      }
      assertThat(registry.get("fabula.migration.import.rows").tag("import", "dropped").functionCounter().count()).isEqualTo(2);
      assertThat(gauge(registry, "fabula.migration.capture.pending", "table", table)).isEqualTo(1);
    }
  }

  @Test
  void every_meter_carries_the_configured_tags() {
    try (JdbcEventStore store = open()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      MetricsConfig config = NOW.withTags(List.of(io.micrometer.core.instrument.Tag.of("store", "billing")));
      try (StoreMetrics s = StoreMetrics.of(store, config);
          SchedulerMetrics q = SchedulerMetrics.of(JobQueue.open(store, JobQueueConfig.DEFAULT), config);
          ProjectionMetrics p = ProjectionMetrics.of(Projections.open(store), config)) {
        s.bindTo(registry);
        q.bindTo(registry);
        p.bindTo(registry);
        assertThat(registry.getMeters())
            .filteredOn(m -> m.getId().getName().startsWith("fabula."))
            .isNotEmpty()
            .allMatch(m -> "billing".equals(m.getId().getTag("store")));
      }
    }
  }
}
