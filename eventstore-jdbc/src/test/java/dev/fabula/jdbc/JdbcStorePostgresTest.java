package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.spi.Notifications;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.testkit.contract.StoreContractSupport;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The JDBC backend on PostgreSQL, with the read fences and notifications only it has. */
class JdbcStorePostgresTest extends JdbcStoreContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected JdbcEventStore open(EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), config, jdbc);
  }

  @Override
  protected javax.sql.DataSource plainDataSource() {
    return postgres.database().dataSource();
  }

  @Override
  protected java.util.Map<String, Integer> migrate(JdbcConfig jdbc) {
    return JdbcEventStore.migrate(postgres.database().dataSource(), jdbc); // the DataSource overload
  }

  private static EventData event(JdbcEventStore store) {
    return EventData.json("x", 1, store.types().mapper().createObjectNode().put("n", 1));
  }

  private static List<Long> positions(JdbcEventStore store) {
    try (var log = store.readAll(LogQuery.all())) {
      return log.map(RecordedEvent::position).toList();
    }
  }

  @Test
  void readers_never_pass_an_appending_transaction_that_is_still_open() throws Exception {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FutureTask<Long> slow = new FutureTask<>(() -> store.inTransaction(tx -> {
      long p = tx.append("slow-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
      appended.countDown();
      release.await();
      return p;
    }));
    new Thread(slow, "slow-appender").start();
    assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
    long fast = store.append("fast-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();

    // The later position committed first: readers must not see it while the earlier one may still commit.
    assertThat(positions(store)).isEmpty();
    assertThat(store.headPosition()).isZero();

    release.countDown();
    long slowPosition = slow.get(30, TimeUnit.SECONDS);
    assertThat(slowPosition).isLessThan(fast);
    assertThat(positions(store)).containsExactly(slowPosition, fast);
  }

  @Test
  void the_horizon_behind_an_append_in_flight_probes_one_index_entry_however_long_the_log() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    JdbcEventStore store = store(prefix);
    for (int b = 0; b < 10; b++) {
      List<EventData> events = new java.util.ArrayList<>();
      for (int i = 0; i < 500; i++) {
        events.add(event(store));
      }
      store.append("long-" + b, ExpectedVersion.noStream(), events);
    }
    long head = store.headPosition();
    Statements sql = new Statements(getClass().getClassLoader(), List.of("dev/fabula/jdbc/postgresql", "dev/fabula/jdbc/common"),
        java.util.Map.of("schema", "public", "prefix", prefix, "qualified_prefix", "public." + prefix));
    // An append in flight just above the head: the fenced horizon is the head itself.
    String plan = store.jdbi().withHandle(h -> h.createQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql.get("safe_horizon_head_fenced"))
        .bind("handed_out", head + 1)
        .bindArray("low_bits", Long.class, List.of(head + 1))
        .mapTo(String.class)
        .one());
    assertThat(rowsReadFrom(plan, prefix + "events")).isEqualTo(1); // a scan below the cap read 5,000
    long horizon = store.jdbi().withHandle(h -> h.createQuery(sql.get("safe_horizon_head_fenced"))
        .bind("handed_out", head + 1)
        .bindArray("low_bits", Long.class, List.of(head + 1))
        .mapTo(Long.class)
        .one());
    assertThat(horizon).isEqualTo(head);
  }

  /** The rows the plan's scans of {@code table} returned, summed over the plan tree. */
  private static long rowsReadFrom(String jsonPlan, String table) {
    try {
      long rows = 0;
      for (com.fasterxml.jackson.databind.JsonNode node : new com.fasterxml.jackson.databind.ObjectMapper().readTree(jsonPlan).findParents("Relation Name")) {
        if (node.get("Relation Name").asText().equals(table)) {
          rows += node.get("Actual Rows").asLong() * node.path("Actual Loops").asLong(1);
        }
      }
      return rows;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void an_open_transaction_that_appended_nothing_does_not_hold_readers_back() throws Exception {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    try (Connection idle = DriverManager.getConnection(postgres.database().jdbcUrlWithCredentials())) {
      idle.setAutoCommit(false);
      try (Statement s = idle.createStatement()) {
        s.execute("SELECT txid_current()"); // holds a transaction id, as a busy unrelated writer would
      }
      long p = store.append("a-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
      assertThat(positions(store)).containsExactly(p);
      idle.rollback();
    }
  }

  @Test
  void a_rolled_back_append_leaves_a_gap_that_readers_pass() {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    try {
      store.inTransaction(tx -> {
        tx.append("a-1", ExpectedVersion.noStream(), List.of(event(store)));
        throw new IllegalStateException("roll back");
      });
    } catch (IllegalStateException expected) {
      // rolled back: its position is never used
    }
    long p = store.append("a-2", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
    assertThat(p).isGreaterThan(1);
    assertThat(positions(store)).containsExactly(p);
    assertThat(store.headPosition()).isEqualTo(p);
  }

  @Test
  void other_processes_hear_of_appends_through_listen_notify() throws Exception {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    String channel = Notifications.of(store).channel("events");
    try (Connection listener = DriverManager.getConnection(postgres.database().jdbcUrlWithCredentials())) {
      try (Statement s = listener.createStatement()) {
        s.execute("LISTEN " + channel);
      }
      long p = store.append("a-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
      PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(10_000);
      assertThat(received).isNotNull().isNotEmpty();
      assertThat(received[received.length - 1].getName()).isEqualTo(channel);
      assertThat(Long.parseLong(received[received.length - 1].getParameter())).isEqualTo(p);
    }
  }

  @Test
  void keeps_its_tables_in_the_configured_schema() {
    JdbcEventStore store = open(EventStoreConfig.DEFAULT, TestStores.MIGRATING.withSchema("ledger").withTablePrefix(StoreContractSupport.uniqueTablePrefix()));
    try {
      store.append("a-1", ExpectedVersion.noStream(), List.of(event(store)));
      List<String> tables = store.jdbi().withHandle(h -> h.createQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ledger' ORDER BY 1")
          .mapTo(String.class).list());
      assertThat(tables).anyMatch(t -> t.endsWith("events")).anyMatch(t -> t.endsWith("streams"));
      assertThat(store.readStream("a-1")).hasSize(1);
    } finally {
      store.close();
    }
  }
}
