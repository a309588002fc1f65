package dev.fabula.health;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The health contract on PostgreSQL. */
class HealthPostgresTest extends HealthContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected JdbcEventStore openStore(JdbcConfig config) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, config);
  }
}
