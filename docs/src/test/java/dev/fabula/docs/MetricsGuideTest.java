package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.metrics.MetricsConfig;
import dev.fabula.metrics.MigrationMetrics;
import dev.fabula.migration.Capture;
import dev.fabula.migration.ImportConfig;
import dev.fabula.migration.ImportSource;
import dev.fabula.migration.Importer;
import dev.fabula.migration.MappedRow;
import dev.fabula.metrics.ProjectionMetrics;
import dev.fabula.metrics.SchedulerMetrics;
import dev.fabula.metrics.StoreMetrics;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobRequest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/metrics.md, run on a SQLite file; and its table checked against the meters. */
class MetricsGuideTest {
  private static final Path PAGE = Path.of(System.getProperty("user.dir"), "metrics.md");
  /** A meter name in the first column of the page's table. */
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `(fabula\\.[a-z.]+)`");

  @TempDir Path dir;

  @Test
  void binding_the_meters_counts_appends_and_shows_projection_and_job_gauges() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      Projections projections = Projections.open(store);
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      Projection orderList = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {}));
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList)).start()) {
        // snippet:bind
        MeterRegistry registry = new SimpleMeterRegistry();   // in production: your Prometheus, OTLP… registry
        StoreMetrics.of(store).bindTo(registry);               // appends, and the store's HikariCP pool
        ProjectionMetrics.of(projections).bindTo(registry);    // needs fabula-projections
        SchedulerMetrics.of(queue).bindTo(registry);           // needs fabula-scheduler
        // end
        long head = store.append("order-7", ExpectedVersion.noStream(),
            List.of(EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("n", 7)))).lastPosition();
        queue.enqueue(JobRequest.of("send-receipt"));
        projections.awaitPosition(orderList.id(), head, Duration.ofSeconds(20));

        assertThat(registry.get("fabula.store.append").tag("outcome", "success").timer().count()).isEqualTo(1);
        assertThat(registry.get("fabula.scheduler.jobs").tag("state", "pending").gauge().value()).isEqualTo(1);
        assertThat(registry.get("hikaricp.connections.max").gauge().value()).isPositive();
      }
    }
  }

  @Test
  void configuration_tags_every_meter_and_turns_histograms_on() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      MeterRegistry registry = new SimpleMeterRegistry();
      // snippet:config
      MetricsConfig config = MetricsConfig.DEFAULT
          .withTags(List.of(Tag.of("store", "billing")))     // tells two stores apart
          .withPercentileHistogram(true)                      // buckets, for percentiles across instances
          .withPollInterval(Duration.ofSeconds(15));          // gauges read statuses at most every 15 s
      StoreMetrics.of(store, config).bindTo(registry);
      // end
      assertThat(registry.get("fabula.store.append").tag("store", "billing").tag("outcome", "success").timer()).isNotNull();
    }
  }

  @Test
  void migration_metrics_show_an_imports_progress_and_the_captured_changes_pending() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      MeterRegistry registry = new SimpleMeterRegistry();
      bindMigration(store, registry).run();
      store.jdbi().useHandle(h -> h.execute("UPDATE legacy_orders SET total = 9 WHERE id = 1"));
      assertThat(registry.get("fabula.migration.import.rows").tag("import", "orders").functionCounter().count()).isEqualTo(2);
      assertThat(registry.get("fabula.migration.capture.pending").tag("table", "legacy_orders").gauge().value()).isEqualTo(1);
    }
  }

  /** A legacy table with two rows, its import and its capture, and their meters bound. */
  private static Importer bindMigration(JdbcEventStore store, MeterRegistry registry) {
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE legacy_orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL)");
      h.execute("INSERT INTO legacy_orders (id, total) VALUES (1, 10), (2, 20)");
    });
    Importer importer = Importer.open(store, ImportSource.query("orders", "SELECT id, total FROM legacy_orders", "id"),
        row -> MappedRow.of("order-" + row.get("id"),
            EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("total", ((Number) row.get("total")).intValue()))),
        ImportConfig.DEFAULT);
    Capture capture = Capture.open(store);
    capture.install("legacy_orders");
    // snippet:migration
    MigrationMetrics.ofImport(importer).bindTo(registry);              // rows, events, failed rows
    MigrationMetrics.ofCapture(capture, "legacy_orders").bindTo(registry); // captured changes pending
    // end
    return importer;
  }

  /**
   * Every fabula.* meter the binders register is in the page's table, and the table names no
   * other but the rescue counter, which only a rescue makes.
   */
  @Test
  void the_table_lists_every_meter_and_no_other() throws Exception {
    Set<String> documented = new TreeSet<>();
    Matcher m = ROW.matcher(Files.readString(PAGE));
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> registered;
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      Projections projections = Projections.open(store);
      Projection orderList = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {}));
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList)).start()) {
        long head = store.append("order-7", ExpectedVersion.noStream(),
            List.of(EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("n", 7)))).lastPosition();
        projections.awaitPosition(orderList.id(), head, Duration.ofSeconds(20));
        MeterRegistry registry = new SimpleMeterRegistry();
        StoreMetrics.of(store).bindTo(registry);
        ProjectionMetrics.of(projections).bindTo(registry);
        JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
        SchedulerMetrics.of(queue).bindTo(registry);
        queue.register("send-receipt", ctx -> dev.fabula.scheduler.JobResult.success());
        long job = queue.enqueue(JobRequest.of("send-receipt")).id();
        try (dev.fabula.scheduler.WorkerPool pool = queue.newWorkerPool(1).start()) {
          long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          while (registry.find("fabula.scheduler.job.run").timer() == null) {
            assertThat(System.nanoTime()).as("job %d ran", job).isLessThan(deadline);
            Thread.sleep(10); // polling a condition with a deadline
          }
        }
        bindMigration(store, registry).run();
        queue.setConcurrencyLimit(dev.fabula.scheduler.ConcurrencyLimit.ofJobType("send-receipt", 4));
        registry.getMeters().forEach(meter -> meter.measure().forEach(ms -> ms.getValue())); // a scrape: polls
        registered = registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName)
            .filter(n -> n.startsWith("fabula.")).collect(Collectors.toCollection(TreeSet::new));
      }
    }
    assertThat(documented).containsAll(registered);
    Set<String> unregistered = new TreeSet<>(documented);
    unregistered.removeAll(registered);
    assertThat(unregistered).containsExactly("fabula.scheduler.job.rescues");
  }
}
