package dev.fabula.jdbc;

import dev.fabula.EventStoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store observer contract on SQLite. */
class StoreObserverSqliteTest extends StoreObserverContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore openStore(EventStoreConfig config, String prefix) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"), config, TestStores.migrating(prefix));
  }
}
