package dev.fabula.console;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console in a browser, on PostgreSQL. */
class ConsolePostgresBrowserTest extends ConsoleBrowserContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected JdbcEventStore openStore(JdbcConfig config) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, config);
  }

  @Override
  protected String backend() {
    return "postgresql";
  }
}
