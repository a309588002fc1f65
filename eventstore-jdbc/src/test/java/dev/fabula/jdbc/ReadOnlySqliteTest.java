package dev.fabula.jdbc;

import dev.fabula.EventStoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Read-only work on SQLite ({@code PRAGMA query_only}). */
class ReadOnlySqliteTest extends ReadOnlyContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore open(EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"), config, jdbc);
  }
}
