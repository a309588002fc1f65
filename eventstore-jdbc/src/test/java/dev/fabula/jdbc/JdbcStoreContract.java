package dev.fabula.jdbc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.ConcurrencyException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.StoreUnavailableException;
import java.time.Duration;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.testkit.contract.StoreContractSupport;
import java.util.ServiceLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the JDBC backend promises beyond the event store contract: schema, SQL files, migrations. */
abstract class JdbcStoreContract {
  private final List<JdbcEventStore> opened = new ArrayList<>();

  /** Opens a store of the backend under test. */
  protected abstract JdbcEventStore open(EventStoreConfig config, JdbcConfig jdbc);

  /** Runs the explicit migration step on the database of {@link #open}. */
  protected abstract Map<String, Integer> migrate(JdbcConfig jdbc);

  protected JdbcEventStore store(String prefix) {
    JdbcEventStore store = open(EventStoreConfig.DEFAULT, TestStores.migrating(prefix));
    opened.add(store);
    return store;
  }

  @AfterEach
  void close() {
    opened.forEach(JdbcEventStore::close);
  }

  @Test
  void keeps_the_jdbc_configuration_it_was_opened_with_and_names_its_tables_by_its_prefix() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    JdbcEventStore store = store(prefix);
    JdbcConfig jdbc = TestStores.migrating(prefix);

    assertThat(store.jdbcConfig()).isEqualTo(jdbc);
    assertThat(statements(store).substitute("${prefix}events")).isEqualTo(prefix + "events");
  }

  @Test
  void an_exhausted_pool_fails_after_the_connection_timeout_as_unavailable_naming_the_pool_size_and_settings() {
    JdbcEventStore store = open(EventStoreConfig.DEFAULT, TestStores.migrating(StoreContractSupport.uniqueTablePrefix())
        .withMaxPoolSize(1).withConnectionTimeout(Duration.ofMillis(300)));
    opened.add(store);
    EventData event = EventData.json("x", 1, JsonNodeFactory.instance.objectNode());
    try (Handle taken = store.jdbi().open()) { // the pool's only connection
      long started = System.nanoTime();
      assertThatThrownBy(() -> store.readStream("a-1"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("no database connection within 300 ms")
          .hasMessageContaining("all 1 connections of the store's pool are in use")
          .hasMessageContaining("JdbcConfig.withMaxPoolSize (now 1)")
          .hasMessageContaining("withConnectionTimeout (now PT0.3S)");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThatThrownBy(() -> store.append("a-1", ExpectedVersion.any(), List.of(event)))
          .isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> store.inTransaction(tx -> tx.append("a-1", ExpectedVersion.any(), List.of(event))))
          .isInstanceOf(StoreUnavailableException.class);
    }
    store.append("a-1", ExpectedVersion.noStream(), List.of(event));
    assertThat(store.readStream("a-1")).hasSize(1);
  }

  /** An unpooled data source on the backend's database, set up as the store needs it. */
  protected abstract DataSource plainDataSource();

  @Test
  void an_exhausted_data_source_of_the_callers_fails_as_unavailable_pointing_at_its_own_settings() {
    HikariConfig settings = new HikariConfig();
    settings.setDataSource(plainDataSource());
    settings.setMaximumPoolSize(1);
    settings.setConnectionTimeout(300);
    try (HikariDataSource callers = new HikariDataSource(settings);
        JdbcEventStore store = JdbcEventStore.open(callers, EventStoreConfig.DEFAULT,
            TestStores.migrating(StoreContractSupport.uniqueTablePrefix()));
        Handle taken = store.jdbi().open()) {
      assertThatThrownBy(() -> store.readStream("a-1"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("no database connection from the data source the store was opened on")
          .hasMessageContaining("JdbcConfig's pool settings apply only to the store's own pool");
    }
  }

  @Test
  void opening_an_empty_database_runs_no_ddl_and_says_how_to_migrate() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withTablePrefix(prefix);

    assertThatThrownBy(() -> open(EventStoreConfig.DEFAULT, jdbc))
        .isInstanceOfSatisfying(SchemaNotMigratedException.class, e -> {
          assertThat(e.component()).isEqualTo("eventstore");
          assertThat(e.databaseVersion()).isZero();
          assertThat(e.libraryVersion()).isPositive();
        })
        .hasMessageContaining("no eventstore tables yet")
        .hasMessageContaining("JdbcEventStore.migrate(url, jdbcConfig)")
        .hasMessageContaining("--prefix " + prefix)
        .hasMessageContaining(" migrate")
        .hasMessageContaining("withMigrateOnOpen(true)");
    assertThat(tablesNamed(prefix)).as("tables the failed open created").isEmpty();
  }

  @Test
  void migrate_creates_the_store_and_its_components_and_then_opening_needs_no_ddl() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withTablePrefix(prefix);

    Map<String, Integer> versions = migrate(jdbc);

    assertThat(versions).containsEntry("eventstore", dev.fabula.jdbc.internal.JdbcBackend.MIGRATIONS.size())
        .containsEntry("snapshots", 1);
    assertThat(versions.keySet()).first().isEqualTo("eventstore");
    assertThat(migrate(jdbc)).as("a second migrate").isEqualTo(versions);
    JdbcEventStore store = open(EventStoreConfig.DEFAULT, jdbc);
    opened.add(store);
    store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.json("placed", 1, JsonNodeFactory.instance.objectNode())));
    JdbcSnapshotStore.open(store).delete(null, "order-1");
    assertThat(store.readStream("order-1")).hasSize(1);
  }

  @Test
  void a_component_whose_tables_are_behind_fails_its_open_with_advice() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    open(EventStoreConfig.DEFAULT, TestStores.migrating(prefix)).close(); // the store's tables only
    JdbcEventStore store = open(EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withTablePrefix(prefix));
    opened.add(store);

    assertThatThrownBy(() -> JdbcSnapshotStore.open(store))
        .isInstanceOfSatisfying(SchemaNotMigratedException.class, e -> assertThat(e.component()).isEqualTo("snapshots"))
        .hasMessageContaining("no snapshots tables yet")
        .hasMessageContaining("JdbcEventStore.migrate");
    assertThat(tablesNamed(prefix)).noneMatch(t -> t.endsWith("snapshots"));
  }

  @Test
  void a_database_ahead_of_the_library_fails_to_open_even_when_migrating() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    JdbcEventStore first = store(prefix);
    first.jdbi().useHandle(h -> h.createUpdate(statements(first).substitute(
            "INSERT INTO ${qualified_prefix}schema_version (component, version, script, applied_at) VALUES ('eventstore', 99, 'V99__future.sql', 'now')"))
        .execute());

    assertThatThrownBy(() -> open(EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withTablePrefix(prefix)))
        .isNotInstanceOf(SchemaNotMigratedException.class)
        .hasMessageContaining("at version 99").hasMessageContaining("upgrade the library");
    assertThatThrownBy(() -> open(EventStoreConfig.DEFAULT, TestStores.migrating(prefix)))
        .hasMessageContaining("at version 99").hasMessageContaining("upgrade the library");
  }

  /** The tables whose names start with {@code prefix}, from the driver's catalog. */
  private List<String> tablesNamed(String prefix) {
    JdbcEventStore other = store(StoreContractSupport.uniqueTablePrefix());
    return other.jdbi().withHandle(h -> {
      List<String> names = new ArrayList<>();
      try (var rs = h.getConnection().getMetaData().getTables(null, null, "%", null)) {
        while (rs.next()) {
          if (rs.getString("TABLE_NAME").startsWith(prefix)) {
            names.add(rs.getString("TABLE_NAME"));
          }
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      return names;
    });
  }

  @Test
  void the_events_table_refuses_updates_and_deletes_but_hard_delete_gets_through() {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.json("placed", 1,
        store.types().mapper().createObjectNode().put("total", 5))));
    String events = statements(store).substitute("${qualified_prefix}events");

    assertThatThrownBy(() -> store.jdbi().useHandle(h -> h.execute("UPDATE " + events + " SET event_type = 'x'")))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> store.jdbi().useHandle(h -> h.execute("DELETE FROM " + events)))
        .hasMessageContaining("append-only");
    assertThat(store.readStream("order-1")).singleElement().extracting(e -> e.type()).isEqualTo("placed");

    store.hardDeleteStream("order-1");
    try (var log = store.readAll(LogQuery.all())) {
      assertThat(log).isEmpty();
    }
  }

  @Test
  void a_failed_multi_stream_append_in_a_transaction_writes_nothing_and_the_transaction_goes_on() {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    store.append("acct-2", ExpectedVersion.noStream(), List.of(event(0)));
    long committed = store.inTransaction(tx -> {
      assertThatThrownBy(() -> tx.appendAll(List.of(
              new StreamAppend("acct-1", ExpectedVersion.any(), List.of(event(1))),
              new StreamAppend("acct-2", ExpectedVersion.exactly(5), List.of(event(2))),
              new StreamAppend("acct-3", ExpectedVersion.noStream(), List.of(event(3))))))
          .isInstanceOf(ConcurrencyException.class)
          .hasMessageContaining("acct-2");
      // many multi-stream appends in one transaction, each in a savepoint of its own
      for (int i = 0; i < 40; i++) {
        tx.appendAll(List.of(new StreamAppend("many-" + i, ExpectedVersion.noStream(), List.of(event(i))),
            new StreamAppend("acct-3", ExpectedVersion.any(), List.of(event(i)))));
      }
      return tx.append("acct-4", ExpectedVersion.noStream(), List.of(event(4))).lastPosition();
    });

    assertThat(store.readStream("acct-1")).isEmpty();
    assertThat(store.readStream("acct-2")).hasSize(1);
    assertThat(store.readStream("acct-3")).extracting(RecordedEvent::streamVersion)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
    assertThat(store.readStream("many-39")).hasSize(1);
    assertThat(store.headPosition()).isEqualTo(committed);
    try (var log = store.readAll(LogQuery.all())) {
      assertThat(log).hasSize(1 + 80 + 1);
    }
  }

  private static EventData event(int n) {
    return EventData.json("noted", 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  @Test
  void append_listeners_hear_each_commit_until_their_registration_is_closed() {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    JdbcEventStore.Registration registration = store.onAppend(heard::add);
    long first = store.append("a-1", ExpectedVersion.noStream(), List.of(EventData.json("x", 1,
        store.types().mapper().createObjectNode()))).lastPosition();
    registration.close();
    registration.close();
    store.append("a-1", ExpectedVersion.exactly(1), List.of(EventData.json("x", 1, store.types().mapper().createObjectNode())));
    assertThat(heard).containsExactly(first);
  }

  @Test
  void hard_delete_also_erases_the_stream_snapshot() {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    store.append("order-2", ExpectedVersion.noStream(), List.of(EventData.json("placed", 1,
        store.types().mapper().createObjectNode().put("total", 5))));
    dev.fabula.spi.SnapshotStore snapshots = JdbcSnapshotStore.open(store);
    snapshots.save(null, new dev.fabula.spi.Snapshot("order-2", 1, 1,
        store.types().mapper().createObjectNode().put("total", 5), java.time.Instant.now()));
    assertThat(snapshots.load(null, "order-2")).isPresent();

    store.hardDeleteStream("order-2");

    assertThat(snapshots.load(null, "order-2")).isEmpty();
  }

  @Test
  void every_sql_statement_of_the_dialect_compiles_against_the_database() throws Exception {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    Dialect dialect = dialect(store);
    Statements sql = statements(store);
    List<String> names = new ArrayList<>();
    for (String folder : List.of(dialect.resourceFolder(), COMMON_FOLDER)) {
      java.net.URL url = getClass().getClassLoader().getResource(folder);
      if (url == null) {
        continue;
      }
      try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql") && !n.startsWith("_"))
            .map(n -> n.substring(0, n.length() - 4)).forEach(names::add);
      }
    }
    assertThat(names).contains("read_all", "read_stream_forwards", "stream_info");
    store.jdbi().useHandle(h -> {
      Connection c = h.getConnection();
      for (String name : names) {
        String text = sql.get(name).replaceAll("(?<!:):([a-z_]+)", "?");
        try (PreparedStatement ps = c.prepareStatement(text)) {
          ps.getParameterMetaData(); // makes PostgreSQL parse and plan the statement now
        } catch (Exception e) {
          throw new AssertionError("statement " + name + ".sql does not compile: " + e.getMessage(), e);
        }
      }
    });
  }

  @Test
  void a_misspelled_binding_fails_instead_of_leaving_a_parameter_unbound() {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    String events = statements(store).substitute("${qualified_prefix}events");
    String count = "SELECT COUNT(*) FROM " + events + " WHERE stream_id = :stream_id";

    long none = store.jdbi().withHandle(h -> h.createQuery(count).bind("stream_id", "a-1").mapTo(Long.class).one());
    assertThat(none).isZero();
    assertThatThrownBy(() -> store.jdbi().withHandle(h -> h.createQuery(count)
            .bind("streamid", "a-1").mapTo(Long.class).one()))
        .as("the statement's own parameter is left unbound")
        .hasMessageContaining("stream_id");
    assertThatThrownBy(() -> store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + events)
            .bind("stream_id", "a-1").mapTo(Long.class).one()))
        .as("a binding the statement does not use")
        .hasMessageContaining("Superfluous");
  }

  /** The store's dialect, found through the SPI as the store finds it. */
  static Dialect dialect(JdbcEventStore store) {
    String product = store.jdbi().withHandle(h -> {
      try {
        return h.getConnection().getMetaData().getDatabaseProductName();
      } catch (java.sql.SQLException e) {
        throw new AssertionError(e);
      }
    });
    for (Dialect d : ServiceLoader.load(Dialect.class)) {
      if (d.acceptsProduct(product)) {
        return d.newInstance();
      }
    }
    throw new AssertionError("no dialect for " + product);
  }

  /** The store's statements (its dialect's folder, then the shared one) with its placeholders. */
  static Statements statements(JdbcEventStore store) {
    Dialect d = dialect(store);
    return new Statements(JdbcStoreContract.class.getClassLoader(), List.of(d.resourceFolder(), COMMON_FOLDER),
        store.jdbi().withHandle(h -> d.placeholders(h, store.jdbcConfig())));
  }

  /** The store's dialect-neutral statements. */
  static final String COMMON_FOLDER = "dev/fabula/jdbc/common";

  @Test
  void stores_opening_at_once_migrate_the_schema_exactly_once() throws Exception {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<JdbcEventStore>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return open(EventStoreConfig.DEFAULT, TestStores.migrating(prefix));
        }));
      }
      go.countDown();
      for (Future<JdbcEventStore> f : futures) {
        opened.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    JdbcEventStore store = opened.get(0);
    String table = statements(store).substitute("${qualified_prefix}schema_version");
    List<Integer> versions = store.jdbi().withHandle(h ->
        h.createQuery("SELECT version FROM " + table + " WHERE component = 'eventstore'").mapTo(Integer.class).list());
    assertThat(versions).hasSize(dev.fabula.jdbc.internal.JdbcBackend.MIGRATIONS.size()).doesNotHaveDuplicates();
    store.append("a-1", ExpectedVersion.noStream(), List.of(EventData.json("x", 1, store.types().mapper().createObjectNode())));
    assertThat(opened.get(threads - 1).readStream("a-1")).hasSize(1);
  }

  @Test
  void reopening_a_store_keeps_its_events_and_schema() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    JdbcEventStore first = store(prefix);
    first.append("a-1", ExpectedVersion.noStream(), List.of(EventData.json("x", 1, first.types().mapper().createObjectNode())));
    first.close();
    JdbcEventStore second = store(prefix);
    assertThat(second.readStream("a-1")).hasSize(1);
    assertThat(second.streamInfo("a-1")).get().extracting(i -> i.version()).isEqualTo(1L);
  }
}
