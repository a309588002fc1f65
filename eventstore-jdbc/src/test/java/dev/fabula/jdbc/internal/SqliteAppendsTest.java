package dev.fabula.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statements SQLite appends keep per connection. */
class SqliteAppendsTest {
  @TempDir Path dir;

  @Test
  void statements_of_closed_connections_are_not_kept() {
    String url = "jdbc:sqlite:" + dir.resolve("plain.db");
    JdbcEventStore.migrate(url, JdbcConfig.DEFAULT);
    org.sqlite.SQLiteConfig settings = new org.sqlite.SQLiteConfig();
    settings.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
    settings.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
    org.sqlite.SQLiteDataSource unpooled = new org.sqlite.SQLiteDataSource(settings); // a new connection every time
    unpooled.setUrl(url);
    try (JdbcEventStore store = JdbcEventStore.open(unpooled, EventStoreConfig.DEFAULT)) {
      int before = SqliteAppends.connectionsWithStatements();
      for (int i = 0; i < 50; i++) {
        store.append("order-" + i, ExpectedVersion.noStream(),
            List.of(EventData.json("placed", 1, store.types().mapper().createObjectNode())));
      }
      assertThat(store.readStream("order-49")).hasSize(1);
      assertThat(SqliteAppends.connectionsWithStatements()).isLessThanOrEqualTo(before + 1);
    }
  }

  @Test
  void a_pooled_connection_reuses_its_statements_across_appends_and_failures() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("pooled.db"), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withMaxPoolSize(1))) {
      var payload = store.types().mapper().createObjectNode();
      for (int i = 0; i < 20; i++) {
        store.append("meter-1", ExpectedVersion.exactly(i), List.of(EventData.json("read", 1, payload)));
      }
      EventData same = EventData.json("read", 1, payload);
      store.append("meter-2", ExpectedVersion.noStream(), List.of(same));
      // A retry (same id) and a conflict both leave the kept statements usable.
      assertThat(store.append("meter-2", ExpectedVersion.noStream(), List.of(same)).replayed()).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.append("meter-1", ExpectedVersion.exactly(3),
          List.of(EventData.json("read", 1, payload)))).isInstanceOf(dev.fabula.ConcurrencyException.class);
      store.append("meter-1", ExpectedVersion.exactly(20), List.of(EventData.json("read", 1, payload)));
      assertThat(store.readStream("meter-1")).extracting(e -> e.streamVersion()).hasSize(21).last().isEqualTo(21L);
    }
  }

  @Test
  void the_stores_connections_do_not_fetch_generated_keys_after_every_insert() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("keys.db"), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      boolean fetches = store.jdbi().withHandle(h -> h.getConnection().unwrap(org.sqlite.SQLiteConnection.class)
          .getConnectionConfig().isGetGeneratedKeys());
      assertThat(fetches).as("the driver's SELECT last_insert_rowid() after each INSERT").isFalse();
    }
  }

  @Test
  void the_event_ids_of_an_append_are_the_json_array_a_json_writer_makes() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var payload = mapper.createObjectNode();
    List<EventData> events = List.of(EventData.json("a", 1, payload), EventData.json("b", 1, payload));
    dev.fabula.spi.PreparedAppend append = dev.fabula.spi.Appends.prepare(EventStoreConfig.DEFAULT, null,
        List.of(new dev.fabula.StreamAppend("order-1", ExpectedVersion.any(), events))).get(0);
    String ids = SqliteAppends.eventIds(append);
    assertThat(mapper.readTree(ids)).isEqualTo(mapper.valueToTree(
        append.events().stream().map(e -> e.eventId().toString()).toList()));
  }

  @Test
  void creating_streams_looks_up_the_erasure_secret_through_the_kept_statements_and_still_refuses_an_erased_id() {
    String url = "jdbc:sqlite:" + dir.resolve("erasure.db");
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true));
        JdbcEventStore other = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      java.util.concurrent.atomic.AtomicInteger throughJdbi = new java.util.concurrent.atomic.AtomicInteger();
      store.jdbi().setSqlLogger(new org.jdbi.v3.core.statement.SqlLogger() {
        @Override
        public void logBeforeExecution(org.jdbi.v3.core.statement.StatementContext context) {
          if (context.getRenderedSql().contains("erasure_secret")) {
            throughJdbi.incrementAndGet();
          }
        }
      });
      var payload = store.types().mapper().createObjectNode();
      for (int i = 0; i < 5; i++) {
        store.append("order-" + i, ExpectedVersion.noStream(), List.of(EventData.json("placed", 1, payload)));
      }
      assertThat(throughJdbi).as("erasure secret lookups through Jdbi (a statement prepared each time)").hasValue(0);

      // Another store (another process) erases a stream: the first store, which has seen no secret, still refuses its id.
      other.hardDeleteStream("order-1");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(),
          List.of(EventData.json("placed", 1, payload)))).isInstanceOf(dev.fabula.EventStoreException.class);
      assertThat(store.readStream("order-2")).hasSize(1);
    }
  }
}
