package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.StoreUnavailableException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full SQLite database ({@code SQLITE_FULL}) is a retryable {@link StoreUnavailableException}
 * that stores nothing of the append, and the store works again once there is room. SQLite's {@code
 * PRAGMA max_page_count} makes the database full without filling the disk; it holds per
 * connection, so the store has a pool of one.
 */
class SqliteFullDatabaseTest {
  @TempDir Path dir;

  @Test
  void a_full_database_is_retryable_stores_nothing_and_recovers_when_there_is_room() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("full.db"), EventStoreConfig.DEFAULT,
        TestStores.MIGRATING.withMaxPoolSize(1))) {
      store.append("small-1", ExpectedVersion.noStream(), events(1, 10));
      long pages = store.jdbi().withHandle(h -> h.createQuery("PRAGMA page_count").mapTo(Long.class).one());
      store.jdbi().useHandle(h -> h.execute("PRAGMA max_page_count = " + (pages + 2)));

      assertThatThrownBy(() -> store.append("big-1", ExpectedVersion.noStream(), events(20, 4_000)))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("database is full")
          .hasMessageContaining("max_page_count")
          .hasMessageContaining("nothing of it was stored")
          .hasMessageContaining("retry");
      assertThat(store.headPosition()).isEqualTo(1);
      assertThat(store.streamInfo("big-1")).isEmpty();
      assertThat(store.readStream("small-1")).hasSize(1);

      store.jdbi().useHandle(h -> h.execute("PRAGMA max_page_count = 1073741823"));
      store.append("big-1", ExpectedVersion.noStream(), events(20, 4_000));
      assertThat(store.readStream("big-1")).hasSize(20);
      assertThat(store.readStream("small-1")).hasSize(1);
    }
  }

  private static List<EventData> events(int count, int size) {
    return IntStream.range(0, count)
        .mapToObj(i -> EventData.json("filler", 1, JsonNodeFactory.instance.objectNode().put("text", "x".repeat(size))))
        .toList();
  }
}
