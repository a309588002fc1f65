package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.SchedulerConfig;
import dev.fabula.scheduler.WorkerPool;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/getting-started.md, run on a SQLite file. */
class GettingStartedTest {

  // snippet:events
  sealed interface CartEvent {}

  @EventType("item-added")
  record ItemAdded(String sku, int quantity, BigDecimal price) implements CartEvent {}

  @EventType("checked-out")
  record CheckedOut(String email) implements CartEvent {}
  // end

  @TempDir Path dir;

  @Test
  void appends_reads_projects_and_runs_a_job() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("shop.db");
    CountDownLatch mailed = new CountDownLatch(1);
    // snippet:store
    EventTypes types = EventTypes.builder().register(CartEvent.class).build();
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withEventTypes(types))) {
      store.append("cart-42", ExpectedVersion.noStream(), List.of(
          EventData.of(new ItemAdded("tea", 2, new BigDecimal("3.50"))),
          EventData.of(new ItemAdded("mug", 1, new BigDecimal("8.00")))));
      store.append("cart-42", ExpectedVersion.exactly(2), List.of(EventData.of(new CheckedOut("ada@example.com"))));

      for (RecordedEvent e : store.readStream("cart-42")) {
        System.out.println("v" + e.streamVersion() + " " + store.types().decode(e)); // ItemAdded[sku=tea, …]
      }
      // end

      // snippet:projection
      store.jdbi().useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS cart_totals (cart TEXT PRIMARY KEY, total NUMERIC)"));
      Projection totals = Projection.transactional("cart-totals", TransactionalHandler.eachEvent((handle, e) -> {
        if (store.types().decode(e) instanceof ItemAdded item) {
          handle.execute("INSERT INTO cart_totals (cart, total) VALUES (?, ?) "
              + "ON CONFLICT (cart) DO UPDATE SET total = total + excluded.total",
              e.streamId(), item.price().multiply(BigDecimal.valueOf(item.quantity())));
        }
      }));
      Projections projections = Projections.open(store);
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(totals))) {
        runner.start(); // catches up from its checkpoint, then follows new events
        projections.awaitPosition(totals.id(), store.headPosition(), Duration.ofSeconds(10));
        BigDecimal total = store.jdbi().withHandle(h ->
            h.createQuery("SELECT total FROM cart_totals WHERE cart = 'cart-42'").mapTo(BigDecimal.class).one()); // 15.00
        // end
        assertThat(total).isEqualByComparingTo("15.00");
      }

      // snippet:job
      JobQueue jobs = JobQueue.create(store, SchedulerConfig.DEFAULT);
      jobs.register("send-receipt", ctx -> {
        System.out.println("mailing " + ctx.payload());
        mailed.countDown();
        return JobResult.success();
      });
      try (WorkerPool workers = jobs.newWorkerPool(2).start()) {
        jobs.enqueue(JobRequest.of("send-receipt").withPayload("{\"cart\":\"cart-42\"}")); // retried with backoff if it fails
        // end
        assertThat(mailed.await(20, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(store.readStream("cart-42")).hasSize(3);
    }
  }
}
