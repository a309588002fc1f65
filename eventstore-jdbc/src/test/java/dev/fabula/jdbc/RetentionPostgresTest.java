package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.spi.SnapshotStore;
import dev.fabula.testkit.contract.RetentionContract;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PostgreSQL (one database per test class, a table prefix per store) against {@link RetentionContract}. */
class RetentionPostgresTest extends RetentionContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();
  private RetentionScans scans;

  private synchronized RetentionScans scans() {
    if (scans == null) {
      scans = new RetentionScans(postgres.database().jdbcUrlWithCredentials());
    }
    return scans;
  }

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return scans().track(
        JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), config, TestStores.migrating(tablePrefix)), tablePrefix);
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
