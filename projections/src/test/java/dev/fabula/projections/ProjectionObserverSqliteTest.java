package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.spi.ProjectionObserver;
import dev.fabula.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link ProjectionObserver} hears each committed batch with the events applied and its time,
 * each retry, and each parked event; one that throws does not stop the runner. On SQLite.
 */
class ProjectionObserverSqliteTest {
  private static final RunnerConfig FAST = ContractSupport.FAST;
  @TempDir Path dir;

  /** Everything heard, as short strings. */
  static final class Recorder implements ProjectionObserver {
    final List<String> heard = new CopyOnWriteArrayList<>();
    final List<Long> nanos = new CopyOnWriteArrayList<>();

    @Override
    public void batchApplied(ProjectionId id, int events, long elapsedNanos) {
      heard.add(id.name() + " applied " + events);
      nanos.add(elapsedNanos);
    }

    @Override
    public void retrying(ProjectionId id, int attempt) {
      heard.add(id.name() + " retrying " + attempt);
    }

    @Override
    public void parked(ProjectionId id) {
      heard.add(id.name() + " parked");
    }
  }

  private static EventData event(int n) {
    return EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  @Test
  void an_observer_hears_batches_retries_and_parked_events() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      Projections projections = Projections.open(store);
      Recorder recorder = new Recorder();
      projections.observe(new ProjectionObserver() {
        @Override
        public void batchApplied(ProjectionId id, int events, long elapsedNanos) {
          throw new IllegalStateException("a broken meter");
        }
      });
      JdbcEventStore.Registration registration = projections.observe(recorder);
      projections.observe(recorder); // twice: heard once
      Projection orders = Projection.transactional("orders", TransactionalHandler.eachEvent((handle, e) -> {
        if (e.payload().get("n").asInt() == 2) {
          throw new IllegalStateException("order 2 is broken");
        }
      })).withFailurePolicy(FailurePolicy.PARK);
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1)));
      store.append("order-2", ExpectedVersion.noStream(), List.of(event(2)));
      long head = store.append("order-3", ExpectedVersion.noStream(), List.of(event(3))).lastPosition();

      try (ProjectionRunner runner = projections.runner(FAST, List.of(orders)).start()) {
        Await.until("the projection to reach the head", Duration.ofSeconds(20),
            () -> projections.status(orders.id()).checkpoint() >= head);
      }
      registration.close();
      registration.close();

      assertThat(recorder.heard).containsExactly(
          "orders applied 1", "orders retrying 2", "orders retrying 3", "orders parked", "orders applied 1");
      assertThat(recorder.nanos).allMatch(n -> n > 0);
    }
  }
}
