package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.contract.EventStoreNumbersContract;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The EventStoreNumbersContract on PostgreSQL: one database per test class, a table prefix per store. */
class NumbersPostgresTest extends EventStoreNumbersContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    PostgresDatabase db = postgres.database();
    return JdbcEventStore.open(db.jdbcUrlWithCredentials(), config, TestStores.migrating(tablePrefix));
  }
}
