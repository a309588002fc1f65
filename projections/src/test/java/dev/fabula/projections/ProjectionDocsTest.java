package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of docs/projections.md: each {@code tag::} region is copied into the page, and runs
 * here, so the page cannot rot.
 */
class ProjectionDocsTest {
  @TempDir Path dir;

  @Test
  void quick_start_runs_an_order_list_and_reads_its_own_writes() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT)) {
      store.jdbi().useHandle(h -> h.execute("CREATE TABLE order_list (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))"));
      // tag::quick-start[]
      Projection orderList = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) ->
              handle.createUpdate("INSERT INTO order_list (id, status) VALUES (:id, :status) "
                      + "ON CONFLICT (id) DO UPDATE SET status = excluded.status")
                  .bind("id", event.streamId())
                  .bind("status", event.type())
                  .execute()))
          .withFilter(EventFilter.ofCategories("order"))
          .withReset(handle -> handle.execute("DELETE FROM order_list"));

      Projections projections = Projections.open(store);
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList))) {
        runner.start();

        AppendResult placed = store.append("order-7", ExpectedVersion.noStream(),
            List.of(EventData.json("placed", 1, json("total", "12.50"))));
        projections.awaitPosition(orderList.id(), placed.lastPosition(), Duration.ofSeconds(5));
        // order_list now shows order-7 as placed
      }
      // end::quick-start[]
      String status = store.jdbi().withHandle(h -> h.createQuery("SELECT status FROM order_list WHERE id = 'order-7'")
          .mapTo(String.class).one());
      assertThat(status).isEqualTo("placed");
    }
  }

  @Test
  void at_least_once_inline_and_live_projections() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT)) {
      Projections projections = Projections.open(store);
      Map<String, Long> searchIndex = new ConcurrentHashMap<>();
      // tag::at-least-once[]
      Projection search = Projection.atLeastOnce("search-index", AtLeastOnceHandler.eachEvent(event ->
          // the position makes a redelivery harmless: the index keeps the newest it has seen
          searchIndex.merge(event.streamId(), event.position(), Math::max)));
      // end::at-least-once[]

      store.jdbi().useHandle(h -> h.execute("CREATE TABLE order_totals (id VARCHAR(100) PRIMARY KEY, lines INTEGER)"));
      // tag::inline[]
      InlineProjections inline = InlineProjections.of(store, List.of(
          Projection.transactional("order-totals", TransactionalHandler.eachEvent((handle, event) ->
              handle.execute("INSERT INTO order_totals (id, lines) VALUES (?, 1) "
                  + "ON CONFLICT (id) DO UPDATE SET lines = lines + 1", event.streamId())))));

      store.inTransaction(tx -> inline.append(tx, "order-8", ExpectedVersion.any(),
          List.of(EventData.json("line-added", 1, json("sku", "A-1")))));
      // order_totals already shows the line: same transaction as the append
      // end::inline[]
      int total = store.jdbi().withHandle(h -> h.createQuery("SELECT lines FROM order_totals").mapTo(Integer.class).one());
      assertThat(total).isEqualTo(1);

      // tag::live[]
      LiveProjection<Map<String, Integer>> linesPerOrder = LiveProjection.start(store,  // at start-up:
          EventFilter.ofTypes("line-added"), Map.of(), (state, event) -> {              // rebuilt from the log
            Map<String, Integer> next = new HashMap<>(state);
            next.merge(event.streamId(), 1, Integer::sum);
            return Map.copyOf(next);
          }, Duration.ofSeconds(1));

      int lines = linesPerOrder.state().getOrDefault("order-8", 0);                     // any time, any thread

      linesPerOrder.close();                                                            // at shutdown
      // end::live[]
      assertThat(lines).isEqualTo(1);

      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(search))) {
        runner.start();
        projections.awaitPosition(search.id(), store.headPosition(), Duration.ofSeconds(5));
      }
      assertThat(searchIndex).containsKey("order-8");
    }
  }

  @Test
  void failures_status_rebuild_and_blue_green() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT)) {
      Projections projections = Projections.open(store);
      store.jdbi().useHandle(h -> {
        h.execute("CREATE TABLE order_list_v1 (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))");
        h.execute("CREATE TABLE order_list_v2 (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))");
      });
      store.append("order-1", ExpectedVersion.any(), List.of(EventData.json("placed", 1, json("n", "1"))));
      Projection v1 = orderList(1);
      assertThat(v1.table("order_list")).isEqualTo("order_list_v1");
      try (ProjectionRunner blue = projections.runner(RunnerConfig.DEFAULT, List.of(v1))) {
        blue.start();
        projections.promote(v1.id(), Duration.ofSeconds(5));

        // tag::config[]
        RunnerConfig config = RunnerConfig.DEFAULT
            .withOwner("orders-api-" + ProcessHandle.current().pid()) // shows in status and logs
            .withLeaseDuration(Duration.ofSeconds(15))                 // takeover within about 20 s
            .withMaxAttempts(5);                                      // then the failure policy
        Projection parking = orderList(2).withFailurePolicy(FailurePolicy.PARK);
        // end::config[]

        // tag::blue-green[]
        Projection v2 = orderList(2); // builds order_list_v2 while version 1 serves
        try (ProjectionRunner green = projections.runner(config, List.of(v2))) {
          green.start();
          projections.promote(v2.id(), Duration.ofMinutes(10)); // waits until v2 caught up, then switches
          ReadModelDiff diff = ReadModelDiff.compare(store.jdbi(),
              "SELECT id, status FROM order_list_v1", "SELECT id, status FROM order_list_v2", "id");
          if (!diff.matches()) {
            throw new IllegalStateException(diff.summary());
          }
        }
        int serving = projections.servingVersion("order-list").orElse(1); // readers pick their table
        // later, once no reader uses version 1 and its runner is stopped:
        // projections.drop(v1.id(), handle -> handle.execute("DROP TABLE order_list_v1"));
        // end::blue-green[]
        assertThat(serving).isEqualTo(2);
        assertThat(parking.failurePolicy()).isEqualTo(FailurePolicy.PARK);

        // tag::status[]
        ProjectionStatus status = projections.status(v1.id());
        if (status.state() == ProjectionState.FAILED) {
          // status.failedPosition(), status.lastError(): fix, deploy, then
          projections.resume(v1.id());
        }
        long behind = status.lagEvents();   // events to go
        Duration late = status.lag();       // age of the oldest of them
        // end::status[]
        assertThat(behind).isZero();
        assertThat(late).isZero();

        // tag::dead-letters[]
        for (ParkedEvent parked : projections.parked(v1.id())) {
          // parked.reason(), parked.streamId(), parked.blockedBy()...
          projections.retryParked(v1.id(), parked.streamId());           // after a fix, in stream order
          // or: projections.dismissParked(v1.id(), parked.position(), "duplicate import, ticket 42");
        }
        Delivery delivery = projections.delivery(v1.id(), 1);             // APPLIED, PENDING, PARKED...
        // end::dead-letters[]
        assertThat(delivery.state()).isEqualTo(DeliveryState.APPLIED);

        // tag::rebuild[]
        projections.rebuild(v1.id()); // the lease holder runs the reset hook and replays the log
        // end::rebuild[]
      }
    }
  }

  // tag::versioned[]
  private static Projection orderList(int version) {
    String table = "order_list_v" + version; // the same as projection.table("order_list")
    return Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) ->
            handle.execute("INSERT INTO " + table + " (id, status) VALUES (?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET status = excluded.status", event.streamId(), event.type())))
        .withVersion(version)
        .withReset(handle -> handle.execute("DELETE FROM " + table));
  }
  // end::versioned[]

  private static com.fasterxml.jackson.databind.node.ObjectNode json(String key, String value) {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put(key, value);
  }
}
