package dev.fabula.console;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console's blue/green and migration pages on PostgreSQL. */
class ConsolePagesPostgresTest extends ConsolePagesContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected JdbcEventStore openStore(JdbcConfig config) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, config);
  }
}
