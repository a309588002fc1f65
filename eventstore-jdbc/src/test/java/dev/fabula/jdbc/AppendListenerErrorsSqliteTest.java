package dev.fabula.jdbc;

import dev.fabula.EventStoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The append listener errors contract on SQLite. */
class AppendListenerErrorsSqliteTest extends AppendListenerErrorsContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore openStore(EventStoreConfig config, String prefix) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"), config, TestStores.migrating(prefix));
  }
}
