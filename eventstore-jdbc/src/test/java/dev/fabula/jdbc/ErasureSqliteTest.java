package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.TableScan;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ErasureContract on SQLite: one file per test class, a table prefix per store. */
class ErasureSqliteTest extends JdbcErasureContract {
  @TempDir static Path dir;

  private static String url() {
    return "jdbc:sqlite:" + dir.resolve("store.db");
  }

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return JdbcEventStore.open(url(), config, TestStores.migrating(tablePrefix));
  }

  @Override
  protected TableScan tableScan() {
    return TableScan.of(url());
  }
}
