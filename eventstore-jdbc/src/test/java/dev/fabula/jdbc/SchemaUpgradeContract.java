package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Migrations;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.spi.Snapshot;
import dev.fabula.testkit.contract.StoreContractSupport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store created by the first release (event store schema version 1, with tenants and snapshots
 * as that release wrote them) upgrades in place on open and keeps every event: the version-1
 * scripts run exactly as that release ran them (the snapshot table's from a copy of its text),
 * and the rows are inserted as its append, tombstone and hard-delete statements left them.
 */
abstract class SchemaUpgradeContract {
  private static final UUID A1 = UUID.fromString("0190f000-0000-7000-8000-000000000001");
  private static final UUID A2 = UUID.fromString("0190f000-0000-7000-8000-000000000002");
  private static final UUID C1 = UUID.fromString("0190f000-0000-7000-8000-000000000003");
  private static final UUID E1 = UUID.fromString("0190f000-0000-7000-8000-000000000004");

  private final List<JdbcEventStore> opened = new java.util.ArrayList<>();

  /** Opens a store of the backend under test. */
  protected abstract JdbcEventStore open(EventStoreConfig config, JdbcConfig jdbc);

  /** Erases one version-1 stream's events as the first release's hard delete did. */
  protected abstract void eraseAsVersion1Did(Handle h, String events, String streamId);

  @AfterEach
  void close() {
    opened.forEach(JdbcEventStore::close);
  }

  private JdbcEventStore store(String prefix) {
    JdbcEventStore store = open(EventStoreConfig.DEFAULT, TestStores.migrating(prefix));
    opened.add(store);
    return store;
  }

  @Test
  void a_version_1_store_upgrades_on_open_and_keeps_every_event_in_its_tenants_namespace() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    JdbcEventStore other = store(StoreContractSupport.uniqueTablePrefix());
    Dialect dialect = JdbcStoreContract.dialect(other);
    Map<String, String> placeholders = other.jdbi().withHandle(h -> dialect.placeholders(h, JdbcConfig.DEFAULT.withTablePrefix(prefix)));
    ClassLoader loader = getClass().getClassLoader();
    Statements v1 = new Statements(loader, List.of(dialect.resourceFolder()), placeholders);
    Statements oldSnapshots = new Statements(loader, List.of("upgrade/" + dialect.resourceFolder().replaceAll(".*/", "")), placeholders);
    Migrations.apply(other.jdbi(), dialect, v1, "eventstore", List.of("V1__event_store.sql"));
    Migrations.apply(other.jdbi(), dialect, oldSnapshots, "snapshots", List.of("V1__snapshots.sql"));
    String streams = v1.substitute("${qualified_prefix}streams");
    String events = v1.substitute("${qualified_prefix}events");
    other.jdbi().useTransaction(h -> {
      stream(h, streams, "order-1", 2, null, false);
      stream(h, streams, "cart-1", 1, "acme", false);
      stream(h, streams, "erased", 1, null, false);
      event(h, dialect, events, "order-1", 1, A1, null);
      event(h, dialect, events, "order-1", 2, A2, null);
      event(h, dialect, events, "cart-1", 1, C1, "acme");
      event(h, dialect, events, "erased", 1, E1, null);
      h.createUpdate("INSERT INTO " + v1.substitute("${qualified_prefix}snapshots")
              + " (stream_id, version, state_schema_version, state, taken_at) VALUES ('order-1', 2, 1, "
              + json(dialect, "'{\"n\": 2}'") + ", :t)")
          .bind("t", dialect.timestamp(Instant.parse("2026-01-01T00:00:00Z"))).execute();
    });
    other.jdbi().useTransaction(h -> {
      eraseAsVersion1Did(h, events, "erased");
      h.createUpdate("UPDATE " + streams + " SET deleted = " + (dialect.resourceFolder().endsWith("sqlite") ? "1" : "true")
          + " WHERE stream_id = 'erased'").execute();
    });

    assertThatThrownBy(() -> open(EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withTablePrefix(prefix)))
        .as("a version-1 store upgrades only through the explicit migration step")
        .isInstanceOfSatisfying(SchemaNotMigratedException.class, e -> assertThat(e.databaseVersion()).isEqualTo(1))
        .hasMessageContaining("migrate");
    Integer version = other.jdbi().withHandle(h -> h.createQuery("SELECT MAX(version) FROM "
        + v1.substitute("${qualified_prefix}schema_version") + " WHERE component = 'eventstore'").mapTo(Integer.class).one());
    assertThat(version).as("the refused open changed nothing").isEqualTo(1);

    JdbcEventStore store = store(prefix);

    List<RecordedEvent> log = log(store);
    assertThat(log).extracting(RecordedEvent::eventId).containsExactly(A1, A2, C1);
    assertThat(log).extracting(RecordedEvent::position).containsExactly(1L, 2L, 3L);
    assertThat(log).extracting(e -> e.metadata().tenantId()).containsExactly(null, null, "acme");
    assertThat(store.readStream("order-1")).extracting(RecordedEvent::eventId).containsExactly(A1, A2);
    assertThat(store.readStream("cart-1")).as("moved into its tenant's namespace").isEmpty();
    EventStore acme = store.forTenant("acme");
    assertThat(acme.readStream("cart-1")).extracting(RecordedEvent::eventId).containsExactly(C1);
    assertThat(acme.streamInfo("cart-1")).contains(new StreamInfo("cart-1", 1, "acme", false));
    assertThat(acme.headPosition()).isEqualTo(3);
    assertThatThrownBy(() -> store.readStream("erased")).isInstanceOf(StreamDeletedException.class);

    var appended = store.append("order-1", ExpectedVersion.exactly(2), List.of(EventData.json("x", 1, store.types().mapper().createObjectNode())));
    assertThat(appended.firstPosition()).as("the erased position 4 is never handed out again").isEqualTo(5);
    assertThat(store.append("order-1", ExpectedVersion.exactly(3),
        List.of(EventData.json("x", 1, store.types().mapper().createObjectNode().put("n", 1)).withEventId(A1))).firstVersion())
        .as("a retry with a stored id is still recognised").isEqualTo(1);
    var snapshots = JdbcSnapshotStore.open(store);
    assertThat(snapshots.load(null, "order-1")).as("snapshots are a cache and start empty").isEmpty();
    snapshots.save("acme", new Snapshot("cart-1", 1, 1, store.types().mapper().createObjectNode(), Instant.now()));
    assertThat(snapshots.load("acme", "cart-1")).isPresent();
    assertThatThrownBy(() -> events(store, events, "DELETE FROM "))
        .as("the events stay append-only").isInstanceOf(RuntimeException.class);
  }

  private static void stream(Handle h, String table, String id, long version, String tenant, boolean deleted) {
    h.createUpdate("INSERT INTO " + table + " (stream_id, version, tenant_id, deleted) VALUES (:s, :v, :t, :d)")
        .bind("s", id).bind("v", version).bind("t", tenant).bind("d", deleted).execute();
  }

  private static void event(Handle h, Dialect dialect, String table, String stream, long version, UUID id, String tenant) {
    boolean sqlite = dialect.resourceFolder().endsWith("sqlite");
    h.createUpdate("INSERT INTO " + table + " (stream_id, stream_version, event_id, event_type, schema_version, category,"
            + " tenant_id, metadata, payload, recorded_at) VALUES (:s, :v, " + (sqlite ? ":id" : "CAST(:id AS uuid)")
            + ", 'x', 1, :c, :t, " + json(dialect, "'{}'") + ", " + json(dialect, "'{\"n\": 1}'") + ", :at)")
        .bind("s", stream).bind("v", version).bind("id", id.toString()).bind("c", stream.replaceAll("-.*", ""))
        .bind("t", tenant).bind("at", dialect.timestamp(Instant.parse("2026-01-01T00:00:00Z"))).execute();
  }

  private static String json(Dialect dialect, String literal) {
    return dialect.resourceFolder().endsWith("sqlite") ? literal : "CAST(" + literal + " AS jsonb)";
  }

  private static void events(JdbcEventStore store, String events, String verb) {
    store.jdbi().useHandle(h -> h.createUpdate(verb + events).execute());
  }

  private static List<RecordedEvent> log(EventStore store) {
    try (Stream<RecordedEvent> s = store.readAll(LogQuery.all())) {
      return s.toList();
    }
  }
}
