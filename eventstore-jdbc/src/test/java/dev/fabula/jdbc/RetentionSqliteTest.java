package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.spi.SnapshotStore;
import dev.fabula.testkit.contract.RetentionContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** SQLite (one file per test class, a table prefix per store) against {@link RetentionContract}. */
class RetentionSqliteTest extends RetentionContract {
  @TempDir static Path dir;
  private RetentionScans scans;

  private synchronized RetentionScans scans() {
    if (scans == null) {
      scans = new RetentionScans("jdbc:sqlite:" + dir.resolve("store.db"));
    }
    return scans;
  }

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return scans().track(JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"), config, TestStores.migrating(tablePrefix)),
        tablePrefix);
  }

  @Override
  protected SnapshotStore openSnapshotStore(EventStore store) {
    return JdbcSnapshotStore.open((JdbcEventStore) store);
  }

  @Override
  protected List<Long> storedVersions(EventStore store, String table, String tenantKey, String streamId) {
    return scans().versions(store, table, tenantKey, streamId);
  }
}
