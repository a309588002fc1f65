package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.AtLeastOnceHandler;
import dev.fabula.projections.Delivery;
import dev.fabula.projections.DeliveryState;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.FailurePolicy;
import dev.fabula.projections.InlineProjections;
import dev.fabula.projections.LiveProjection;
import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.ProjectionFailedException;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.ProjectionStatus;
import dev.fabula.projections.Projections;
import dev.fabula.projections.ReadModelDiff;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/projections.md, run on a SQLite file. */
class ProjectionsGuideTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Fails fast in the failure tests: two attempts, 10 ms apart. */
  private static final RunnerConfig QUICK_RETRIES =
      RunnerConfig.DEFAULT.withMaxAttempts(2).withBackoff(Duration.ofMillis(10), Duration.ofMillis(10));

  @TempDir Path dir;
  JdbcEventStore store;

  @BeforeEach
  void open() {
    store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void the_defaults_table_shows_the_defaults_of_the_code() throws Exception {
    String page = java.nio.file.Files.readString(Path.of(System.getProperty("user.dir"), "projections.md"));
    RunnerConfig d = RunnerConfig.DEFAULT;
    Projection p = Projection.transactional("any", (handle, events) -> {});

    assertThat(page).contains(
        "| `Projection.withBatchSize` | " + p.batchSize() + " (at most " + String.format(java.util.Locale.ROOT, "%,d", Projection.MAX_BATCH_SIZE) + ") |",
        "| `Projection.withFailurePolicy` | `" + p.failurePolicy() + "` |",
        "| `pollInterval` | " + words(d.pollInterval()) + " |",
        "| `leaseDuration` | " + words(d.leaseDuration()) + " |",
        "| `maxAttempts` | " + d.maxAttempts() + " |",
        "| `withBackoff(initial, max)` | " + words(d.initialBackoff()) + ", " + words(d.maxBackoff()) + " |",
        "| `listen` | " + d.listen() + " |",
        "| `listenCheckInterval` | " + words(d.listenCheckInterval()) + " |",
        "| `Projection.withSegments` | " + p.segments() + " |",
        "| `segmentThreads` | " + d.segmentThreads() + " |");
    assertThat(d.owner()).as("generated: host:pid:random").isNull();
  }

  /** A duration as the guide writes it: "100 ms", "1 s". */
  private static String words(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  @Test
  void quick_start_reads_its_own_writes() {
    sql("CREATE TABLE order_list (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))");
    // snippet:quick-start
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
    // end
    assertThat(status("order_list", "order-7")).isEqualTo("placed");
  }

  @Test
  void awaits_positions_of_events_the_projection_does_not_handle() {
    sql("CREATE TABLE order_list_v1 (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))");
    Projections projections = Projections.open(store);
    Projection orderList = orderList(1).withFilter(EventFilter.ofCategories("order"));
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList))) {
      runner.start();
      store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.json("placed", 1, json("n", "1"))));
      AppendResult other = store.append("invoice-1", ExpectedVersion.noStream(),
          List.of(EventData.json("issued", 1, json("n", "1"))));

      projections.awaitPosition(orderList.id(), other.lastPosition(), WAIT);

      assertThat(status("order_list_v1", "order-1")).isEqualTo("placed");
      assertThat(projections.delivery(orderList.id(), other.lastPosition()).state()).isEqualTo(DeliveryState.NOT_HANDLED);
    }
  }

  @Test
  void at_least_once_handlers_key_their_effects_by_position() {
    Projections projections = Projections.open(store);
    Map<String, Long> searchIndex = new ConcurrentHashMap<>();
    // snippet:at-least-once
    Projection search = Projection.atLeastOnce("search-index", AtLeastOnceHandler.eachEvent(event ->
        // the position makes a redelivery harmless: the index keeps the newest it has seen
        searchIndex.merge(event.streamId(), event.position(), Math::max)));
    // end
    store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.json("placed", 1, json("n", "1"))));
    AppendResult shipped = store.append("order-1", ExpectedVersion.exactly(1),
        List.of(EventData.json("shipped", 1, json("n", "1"))));
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(search))) {
      runner.start();
      projections.awaitPosition(search.id(), shipped.lastPosition(), WAIT);
    }
    assertThat(searchIndex).containsExactly(Map.entry("order-1", shipped.lastPosition()));
  }

  @Test
  void at_least_once_handlers_pass_the_fencing_token_to_the_systems_they_write_to() {
    Projections projections = Projections.open(store);
    FencedOutbox outbox = new FencedOutbox();
    // snippet:fencing
    Projection mailer = Projection.atLeastOnce("mailer", AtLeastOnceHandler.eachEvent((event, token) ->
        // the runner checks its lease before each event; the token covers a pause after that check
        outbox.send(event.position(), "order " + event.streamId() + ": " + event.type(), token.value())));
    // end
    store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.json("placed", 1, json("n", "1"))));
    AppendResult shipped = store.append("order-1", ExpectedVersion.exactly(1),
        List.of(EventData.json("shipped", 1, json("n", "1"))));
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(mailer))) {
      runner.start();
      projections.awaitPosition(mailer.id(), shipped.lastPosition(), WAIT);
    }
    assertThat(outbox.sent).containsValues("order order-1: placed", "order order-1: shipped");
    assertThat(outbox.highestToken).isEqualTo(1); // the first lease of the projection
    assertThat(outbox.send(1, "a paused runner's late write", 0)).isFalse();
  }

  // snippet:fenced-outbox
  /** The other system's side: it remembers the highest token it has seen and refuses lower ones. */
  static final class FencedOutbox {
    long highestToken;
    final Map<Long, String> sent = new TreeMap<>();

    synchronized boolean send(long position, String message, long token) {
      if (token < highestToken) {
        return false; // from a runner that lost its lease: a newer holder has written since
      }
      highestToken = token;
      sent.put(position, message); // keyed by position: a redelivery overwrites, never duplicates
      return true;
    }
  }
  // end

  @Test
  void inline_projections_commit_with_the_append() {
    sql("CREATE TABLE order_totals (id VARCHAR(100) PRIMARY KEY, lines INTEGER)");
    // snippet:inline
    InlineProjections inline = InlineProjections.open(store, List.of(
        Projection.transactional("order-totals", TransactionalHandler.eachEvent((handle, event) ->
            handle.execute("INSERT INTO order_totals (id, lines) VALUES (?, 1) "
                + "ON CONFLICT (id) DO UPDATE SET lines = lines + 1", event.streamId())))));

    store.inTransaction(tx -> inline.append(tx, "order-8", ExpectedVersion.any(),
        List.of(EventData.json("line-added", 1, json("sku", "A-1")))));
    // order_totals already shows the line: same transaction as the append
    // end
    assertThat(lines("order-8")).isEqualTo(1);

    InlineProjections failing = InlineProjections.open(store, List.of(
        Projection.transactional("order-audit", TransactionalHandler.eachEvent((handle, event) -> {
          throw new IllegalStateException("audit table is read-only");
        }))));
    assertThatThrownBy(() -> store.inTransaction(tx -> failing.append(tx, "order-9", ExpectedVersion.any(),
        List.of(EventData.json("line-added", 1, json("sku", "B-2")))))).hasMessageContaining("audit table is read-only");
    assertThat(store.streamInfo("order-9")).as("a handler that throws rolls the append back").isEmpty();

    store.append("order-8", ExpectedVersion.any(), List.of(EventData.json("line-added", 1, json("sku", "C-3"))));
    assertThat(lines("order-8")).as("appends made without InlineProjections do not reach it").isEqualTo(1);
  }

  @Test
  void live_projections_rebuild_from_the_log_and_follow_it() {
    store.append("order-8", ExpectedVersion.noStream(), List.of(EventData.json("line-added", 1, json("sku", "A-1"))));
    // snippet:live
    LiveProjection<Map<String, Integer>> linesPerOrder = LiveProjection.start(store,  // at start-up:
        EventFilter.ofTypes("line-added"), Map.of(), (state, event) -> {              // rebuilt from the log
          Map<String, Integer> next = new HashMap<>(state);
          next.merge(event.streamId(), 1, Integer::sum);
          return Map.copyOf(next);
        }, Duration.ofSeconds(1));

    int lines = linesPerOrder.state().getOrDefault("order-8", 0);                     // any time, any thread

    linesPerOrder.close();                                                            // at shutdown
    // end
    assertThat(lines).isEqualTo(1);

    try (LiveProjection<Map<String, Integer>> following = LiveProjection.start(store, EventFilter.ofTypes("line-added"),
        Map.of(), (state, event) -> Map.of(event.streamId(), state.getOrDefault(event.streamId(), 0) + 1),
        Duration.ofSeconds(1))) {
      AppendResult second = store.append("order-8", ExpectedVersion.exactly(1),
          List.of(EventData.json("line-added", 1, json("sku", "B-2"))));
      following.awaitPosition(second.lastPosition(), WAIT);
      assertThat(following.state()).containsEntry("order-8", 2);
    }
  }

  @Test
  void parks_a_failing_stream_keeps_its_order_and_retries_it_after_a_fix() throws Exception {
    sql("CREATE TABLE order_list_v1 (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))");
    AtomicBoolean broken = new AtomicBoolean(true);
    CountDownLatch retried = new CountDownLatch(2);
    Projection v1 = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {
      if (event.streamId().equals("order-2")) {
        if (broken.get()) {
          throw new IllegalStateException("no total in " + event.payload());
        }
        retried.countDown();
      }
      handle.execute("INSERT INTO order_list_v1 (id, status) VALUES (?, ?) "
          + "ON CONFLICT (id) DO UPDATE SET status = excluded.status", event.streamId(), event.type());
    })).withFailurePolicy(FailurePolicy.PARK);
    Projections projections = Projections.open(store);
    append("order-1", "placed");
    long placed2 = append("order-2", "placed");
    long shipped2 = append("order-2", "shipped");
    long placed3 = append("order-3", "placed");

    try (ProjectionRunner runner = projections.runner(QUICK_RETRIES, List.of(v1))) {
      runner.start();
      projections.awaitPosition(v1.id(), placed3, WAIT);
      assertThat(status("order_list_v1", "order-3")).as("other streams go on").isEqualTo("placed");
      assertThat(status("order_list_v1", "order-2")).isNull();
      assertThat(projections.parked(v1.id())).extracting(ParkedEvent::position, ParkedEvent::blockedBy)
          .containsExactly(tuple(placed2, null), tuple(shipped2, placed2));
      assertThat(projections.delivery(v1.id(), shipped2).state()).isEqualTo(DeliveryState.PARKED);
      assertThat(projections.status(v1.id()).parkedEvents()).isEqualTo(2);

      broken.set(false); // the fix
      // snippet:dead-letters
      for (ParkedEvent parked : projections.parked(v1.id())) {
        // parked.reason(), parked.tenantId(), parked.streamId(), parked.blockedBy()...
        projections.retryParked(v1.id(), parked.tenantId(), parked.streamId()); // after a fix, in order
        // or: projections.dismissParked(v1.id(), parked.position(), "duplicate import, ticket 42");
      }
      Delivery delivery = projections.delivery(v1.id(), 1);             // APPLIED, PENDING, PARKED...
      // end
      assertThat(delivery.state()).isEqualTo(DeliveryState.APPLIED);
      assertThat(retried.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      // One thread applies a projection: once a later event is applied, the retry has committed.
      projections.awaitPosition(v1.id(), append("order-4", "placed"), WAIT);

      assertThat(status("order_list_v1", "order-2")).as("in stream order").isEqualTo("shipped");
      assertThat(projections.parked(v1.id())).isEmpty();
      assertThat(projections.delivery(v1.id(), shipped2).state()).isEqualTo(DeliveryState.APPLIED);
    }
  }

  @Test
  void keeps_each_tenants_rows_apart_in_a_cross_tenant_read_model() {
    sql("CREATE TABLE tenant_orders (tenant_id VARCHAR(50) NOT NULL, id VARCHAR(100) NOT NULL, "
        + "status VARCHAR(20), PRIMARY KEY (tenant_id, id))");
    Projections projections = Projections.open(store);
    // snippet:tenants
    Projection tenantOrders = Projection.transactional("tenant-orders", TransactionalHandler.eachEvent((handle, event) ->
        handle.createUpdate("INSERT INTO tenant_orders (tenant_id, id, status) VALUES (:tenant, :id, :status) "
                + "ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status")
            .bind("tenant", Objects.requireNonNullElse(event.metadata().tenantId(), "")) // null: no tenant
            .bind("id", event.streamId())
            .bind("status", event.type())
            .execute()));

    store.forTenant("acme").append("order-1", ExpectedVersion.noStream(), List.of(EventData.json("placed", 1, json("total", "9"))));
    long last = store.forTenant("globex").append("order-1", ExpectedVersion.noStream(),
        List.of(EventData.json("cancelled", 1, json("total", "4")))).lastPosition();
    // end
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(tenantOrders)).start()) {
      projections.awaitPosition(tenantOrders.id(), last, WAIT);
    }
    List<org.assertj.core.groups.Tuple> rows = store.jdbi().withHandle(h -> h.createQuery(
            "SELECT tenant_id, id, status FROM tenant_orders ORDER BY tenant_id")
        .map((rs, ctx) -> tuple(rs.getString(1), rs.getString(2), rs.getString(3))).list());
    assertThat(rows).containsExactly(tuple("acme", "order-1", "placed"), tuple("globex", "order-1", "cancelled"));
  }

  @Test
  void stops_on_a_failing_event_and_resumes_after_a_fix() {
    store.close();
    store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"),
        EventStoreConfig.DEFAULT.withClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1))), TestTables.MIGRATING); // events an hour old
    sql("CREATE TABLE order_list_v1 (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))");
    AtomicBoolean broken = new AtomicBoolean(true);
    Projection v1 = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {
      if (broken.get() && event.streamId().equals("order-2")) {
        throw new IllegalStateException("no total");
      }
      handle.execute("INSERT INTO order_list_v1 (id, status) VALUES (?, ?)", event.streamId(), event.type());
    }));
    Projections projections = Projections.open(store);
    append("order-1", "placed");
    long failing = append("order-2", "placed");

    try (ProjectionRunner runner = projections.runner(QUICK_RETRIES, List.of(v1))) {
      runner.start();
      assertThatThrownBy(() -> projections.awaitPosition(v1.id(), failing, WAIT))
          .isInstanceOf(ProjectionFailedException.class);

      broken.set(false); // the fix, deployed
      // snippet:status
      ProjectionStatus status = projections.status(v1.id());
      if (status.state() == ProjectionState.FAILED) {
        // status.failedPosition(), status.lastError(): fix, deploy, then
        projections.resume(v1.id());
      }
      long behind = status.lagEvents();   // events to go
      Duration late = status.lag();       // age of the oldest of them
      // end
      assertThat(status.state()).isEqualTo(ProjectionState.FAILED);
      assertThat(status.failedPosition()).isEqualTo(failing);
      assertThat(status.lastError()).contains("no total");
      assertThat(behind).isEqualTo(1);
      assertThat(late).isGreaterThanOrEqualTo(Duration.ofMinutes(59));

      projections.awaitPosition(v1.id(), failing, WAIT);
      assertThat(status("order_list_v1", "order-2")).isEqualTo("placed");
      assertThat(projections.status(v1.id()).lagEvents()).isZero();
      assertThat(projections.status(v1.id()).lag()).isZero();
    }
  }

  @Test
  void rebuild_resets_the_read_model_and_replays_the_log() throws Exception {
    sql("CREATE TABLE order_list_v1 (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))");
    AtomicInteger resets = new AtomicInteger();
    AtomicInteger applied = new AtomicInteger();
    CountDownLatch replayed = new CountDownLatch(4); // two events, applied twice
    Projection v1 = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {
      handle.execute("INSERT INTO order_list_v1 (id, status) VALUES (?, ?)", event.streamId(), event.type());
      applied.incrementAndGet();
      replayed.countDown();
    })).withReset(handle -> {
      resets.incrementAndGet();
      handle.execute("DELETE FROM order_list_v1"); // without it, the replay would hit the primary key
    });
    Projections projections = Projections.open(store);
    append("order-1", "placed");
    long last = append("order-2", "placed");
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(v1))) {
      runner.start();
      projections.awaitPosition(v1.id(), last, WAIT);

      // snippet:rebuild
      projections.rebuild(v1.id()); // the lease holder runs the reset hook and replays the log
      // end
      assertThat(replayed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      projections.awaitPosition(v1.id(), append("order-3", "placed"), WAIT);

      assertThat(resets).hasValue(1);
      assertThat(applied).hasValue(5);
      assertThat(count("order_list_v1")).isEqualTo(3);
      assertThat(projections.status(v1.id()).state()).isEqualTo(ProjectionState.RUNNING);
    }
  }

  @Test
  void blue_green_builds_version_two_beside_version_one_and_promotes_it() {
    sql("CREATE TABLE order_list_v1 (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))");
    sql("CREATE TABLE order_list_v2 (id VARCHAR(100) PRIMARY KEY, status VARCHAR(20))");
    Projections projections = Projections.open(store);
    append("order-1", "placed");
    append("order-2", "placed");
    append("order-1", "shipped");
    Projection v1 = orderList(1);
    assertThat(v1.table("order_list")).isEqualTo("order_list_v1");
    try (ProjectionRunner blue = projections.runner(RunnerConfig.DEFAULT, List.of(v1))) {
      blue.start();
      projections.promote(v1.id(), WAIT);
      assertThat(projections.servingVersion("order-list")).hasValue(1);

      // snippet:config
      RunnerConfig config = RunnerConfig.DEFAULT
          .withOwner("orders-api-" + ProcessHandle.current().pid()) // shows in status and logs
          .withLeaseDuration(Duration.ofSeconds(15))                 // takeover within about 20 s
          .withMaxAttempts(5);                                      // then the failure policy
      Projection parking = orderList(2).withFailurePolicy(FailurePolicy.PARK);
      // end
      assertThat(parking.failurePolicy()).isEqualTo(FailurePolicy.PARK);
      assertThat(parking.id()).isEqualTo(orderList(2).id());
      assertThat(config.owner()).isEqualTo("orders-api-" + ProcessHandle.current().pid());
      assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
      assertThat(config.maxAttempts()).isEqualTo(5);

      // snippet:blue-green
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
      // end
      assertThat(serving).isEqualTo(2);
      assertThat(status("order_list_v2", "order-1")).isEqualTo("shipped");
      assertThat(projections.status(v2.id()).owner()).as("close() releases the lease").isNull();
      assertThatThrownBy(() -> projections.drop(v1.id(), handle -> handle.execute("DROP TABLE order_list_v1")))
          .as("its runner still holds the lease").isInstanceOf(ProjectionException.class);
    }
    projections.drop(v1.id(), handle -> handle.execute("DROP TABLE order_list_v1"));
    assertThatThrownBy(() -> projections.status(v1.id())).isInstanceOf(ProjectionException.class);
    int tables = store.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM sqlite_master WHERE name = 'order_list_v1'").mapTo(Integer.class).one());
    assertThat(tables).isZero();
  }

  @Test
  void read_model_diff_names_missing_extra_and_different_rows() {
    sql("CREATE TABLE expected_rows (id INTEGER PRIMARY KEY, total NUMERIC)");
    sql("CREATE TABLE actual_rows (id INTEGER PRIMARY KEY, total NUMERIC)");
    sql("INSERT INTO expected_rows VALUES (1, 2), (2, 3), (3, 4)");
    sql("INSERT INTO actual_rows VALUES (1, 2.0), (2, 5), (4, 1)");

    ReadModelDiff diff = ReadModelDiff.compare(store.jdbi(),
        "SELECT id, total FROM expected_rows", "SELECT id, total FROM actual_rows", "id");

    assertThat(diff.matches()).isFalse();
    assertThat(diff.missing()).hasSize(1);
    assertThat(diff.extra()).hasSize(1);
    assertThat(diff.different()).singleElement().satisfies(d -> assertThat(d.columns()).containsExactly("total"));
  }

  // snippet:versioned
  private static Projection orderList(int version) {
    String table = "order_list_v" + version; // the same as projection.table("order_list")
    return Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) ->
            handle.execute("INSERT INTO " + table + " (id, status) VALUES (?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET status = excluded.status", event.streamId(), event.type())))
        .withVersion(version)
        .withReset(handle -> handle.execute("DELETE FROM " + table));
  }
  // end

  private static ObjectNode json(String key, String value) {
    return JsonNodeFactory.instance.objectNode().put(key, value);
  }

  private long append(String stream, String type) {
    return store.append(stream, ExpectedVersion.any(), List.of(EventData.json(type, 1, json("by", "test")))).lastPosition();
  }

  private void sql(String statement) {
    store.jdbi().useHandle(h -> h.execute(statement));
  }

  private String status(String table, String id) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT status FROM " + table + " WHERE id = :id")
        .bind("id", id).mapTo(String.class).findOne().orElse(null));
  }

  private int lines(String id) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT lines FROM order_totals WHERE id = :id")
        .bind("id", id).mapTo(Integer.class).one());
  }

  private int count(String table) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
  }
}
