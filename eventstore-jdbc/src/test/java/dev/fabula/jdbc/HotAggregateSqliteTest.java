package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.spi.SnapshotStore;
import dev.fabula.testkit.contract.HotAggregateContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** SQLite (a file in a temporary folder) against {@link HotAggregateContract}. */
class HotAggregateSqliteTest extends HotAggregateContract {

  @TempDir
  static Path dir;

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("events.db"), config, TestStores.migrating(tablePrefix));
  }

  @Override
  protected SnapshotStore openSnapshotStore(EventStore store) {
    return JdbcSnapshotStore.open((JdbcEventStore) store);
  }
}
