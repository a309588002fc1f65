package dev.fabula.jdbc;

import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store observer contract on PostgreSQL. */
class StoreObserverPostgresTest extends StoreObserverContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected JdbcEventStore openStore(EventStoreConfig config, String prefix) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), config, TestStores.migrating(prefix));
  }
}
