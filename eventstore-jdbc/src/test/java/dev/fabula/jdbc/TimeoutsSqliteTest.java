package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On SQLite the lock timeout is the busy timeout for another process's write lock. */
class TimeoutsSqliteTest {
  @TempDir Path dir;

  @Test
  void an_append_waits_for_another_writer_up_to_the_lock_timeout() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("store.db");
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT,
        TestStores.MIGRATING.withLockTimeout(Duration.ofMillis(300)))) {
      try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement()) {
        s.execute("BEGIN IMMEDIATE"); // another process's write transaction

        assertThatThrownBy(() -> store.append("a", ExpectedVersion.any(),
                List.of(EventData.json("note", 1, JsonNodeFactory.instance.objectNode().put("n", 1)))))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("more than 300 ms (the lock timeout, JdbcConfig.withLockTimeout)");
        s.execute("ROLLBACK");
      }
    }
  }
}
