package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.contract.EventStoreDeleteContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The EventStoreDeleteContract on SQLite: one file per test class, a table prefix per store. */
class DeleteSqliteTest extends EventStoreDeleteContract {
  @TempDir static Path dir;

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"), config, TestStores.migrating(tablePrefix));
  }
}
