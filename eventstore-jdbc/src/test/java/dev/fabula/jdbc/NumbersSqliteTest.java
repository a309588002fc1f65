package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.contract.EventStoreNumbersContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The EventStoreNumbersContract on SQLite: one file per test class, a table prefix per store. */
class NumbersSqliteTest extends EventStoreNumbersContract {
  @TempDir static Path dir;

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"), config, TestStores.migrating(tablePrefix));
  }
}
