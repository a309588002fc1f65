package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.contract.EventStoreSerializationContract;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The EventStoreSerializationContract on PostgreSQL, opened from a caller-owned DataSource (the
 * dialect comes from the database product name); one database per test class.
 */
class SerializationPostgresTest extends EventStoreSerializationContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    PostgresDatabase db = postgres.database();
    return JdbcEventStore.open(db.dataSource(), config, TestStores.migrating(tablePrefix));
  }
}
