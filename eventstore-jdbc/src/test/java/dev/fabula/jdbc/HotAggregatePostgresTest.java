package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.spi.SnapshotStore;
import dev.fabula.testkit.contract.HotAggregateContract;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PostgreSQL (one database per test class, a table prefix per store) against {@link HotAggregateContract}. */
class HotAggregatePostgresTest extends HotAggregateContract {

  @RegisterExtension
  static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), config, TestStores.migrating(tablePrefix));
  }

  @Override
  protected SnapshotStore openSnapshotStore(EventStore store) {
    return JdbcSnapshotStore.open((JdbcEventStore) store);
  }
}
