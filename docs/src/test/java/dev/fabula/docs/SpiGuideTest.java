package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.Upcaster;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.scheduler.spi.JobHandlerProvider;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/spi.md: an upcaster and a job handler shipped as plugins, found by ServiceLoader. */
class SpiGuideTest {
  @TempDir Path dir;

  // snippet:upcaster-plugin
  /** Version 1 stored prices as decimal strings in euros; version 2 stores whole cents. */
  public static final class PriceInCents implements Upcaster {
    @Override
    public String type() {
      return "price-set";
    }

    @Override
    public int fromVersion() {
      return 1;
    }

    @Override
    public List<RawEvent> upcast(RawEvent event) {
      long cents = new BigDecimal(event.payload().path("price").asText()).movePointRight(2).longValueExact();
      return List.of(new RawEvent("price-set", 2, event.payload().put("price", cents)));
    }
  }
  // end

  // snippet:job-handler-plugin
  /** Brings the "send-receipt" job type to every queue that asks for plugins. */
  public static final class ReceiptJobs implements JobHandlerProvider {
    static final Map<String, String> SENT = new ConcurrentHashMap<>();

    @Override
    public void registerHandlers(JobQueue queue) {
      queue.register("send-receipt", ctx -> {
        Map<?, ?> receipt = ctx.payload(Map.class);
        SENT.put((String) receipt.get("order"), (String) receipt.get("email"));
        return JobResult.success();
      });
    }
  }
  // end

  @Test
  void a_discovered_upcaster_turns_version_1_into_version_2_on_every_read() {
    String url = "jdbc:sqlite:" + dir.resolve("spi.db");
    try (JdbcEventStore old = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      old.append("product-7", ExpectedVersion.noStream(), List.of(EventData.json("price-set", 1,
          JsonNodeFactory.instance.objectNode().put("price", "12.30"))));
    }
    // snippet:upcaster-discovery
    EventStoreConfig config = EventStoreConfig.DEFAULT.withUpcasterDiscovery(true);
    try (JdbcEventStore store = JdbcEventStore.open(url, config)) {
      RecordedEvent price = store.readStream("product-7").get(0); // price-set v2, {"price":1230}
      // end
      assertThat(price.schemaVersion()).isEqualTo(2);
      assertThat(price.payload().path("price").asLong()).isEqualTo(1230);
    }
    try (JdbcEventStore plain = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      assertThat(plain.readStream("product-7").get(0).schemaVersion()).as("discovery is off by default").isEqualTo(1);
    }
  }

  @Test
  void a_discovered_job_handler_runs_the_jobs_of_its_type() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("jobs.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      // snippet:job-handler-discovery
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      List<String> plugins = queue.registerDiscoveredHandlers(); // logs each plugin it installs
      try (WorkerPool pool = queue.newWorkerPool(2).start()) {
        Job job = queue.enqueue(JobRequest.of("send-receipt").withPayload("{\"order\":\"o-1\",\"email\":\"ada@example.com\"}"));
        // end
        assertThat(plugins).contains(ReceiptJobs.class.getName());
        assertThat(queue.registeredTypes()).contains("send-receipt");
        assertThat(awaitFinished(queue, job.id())).isEqualTo(JobState.SUCCEEDED);
        assertThat(ReceiptJobs.SENT).containsEntry("o-1", "ada@example.com");
      }
    }
  }

  @Test
  void a_module_of_its_own_keeps_its_tables_beside_the_store() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("audit.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      String what = "config changed";
      // snippet:component-database
      Component component = new Component("audit", AuditLog.class, "dev/fabula/docs/audit", List.of("V1__audit.sql"));
      ComponentDatabase db = ComponentDatabase.open(store, component); // the store migrates on open: so does this, once, under a lock
      db.write("recording an audit row", h -> h.createUpdate(db.sql("insert_row")).bind("what", what).execute());
      long rows = db.read("counting audit rows", h -> h.createQuery(db.sql("count_rows")).mapTo(Long.class).one());
      // end
      assertThat(rows).isEqualTo(1);
      long again = ComponentDatabase.open(store, component).read("counting again",
          h -> h.createQuery(db.sql("count_rows")).mapTo(Long.class).one());
      assertThat(again).as("opening again migrates nothing").isEqualTo(1);
      assertThat(db.notifications().available()).as("SQLite has no notifications between processes").isFalse();
    }
  }

  /** The anchor of the audit component's resources. */
  static final class AuditLog {}

  /** The job's state once finished (or after 20 s): the queue has no completion callback, so poll it. */
  private static JobState awaitFinished(JobQueue queue, long id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JobState state = queue.job(id).orElseThrow().state();
    while (!state.isFinished() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      state = queue.job(id).orElseThrow().state();
    }
    return state;
  }
}
