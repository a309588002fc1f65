package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.TableScan;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ErasureContract on PostgreSQL: one database per test class, a table prefix per store. */
class ErasurePostgresTest extends JdbcErasureContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), config, TestStores.migrating(tablePrefix));
  }

  @Override
  protected TableScan tableScan() {
    return TableScan.of(postgres.database().jdbcUrlWithCredentials());
  }
}
