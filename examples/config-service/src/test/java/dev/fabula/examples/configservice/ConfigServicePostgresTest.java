package dev.fabula.examples.configservice;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The config service's story on PostgreSQL: one database for the class, a table prefix per test. */
class ConfigServicePostgresTest extends ConfigServiceContract {

  @RegisterExtension static PostgresExtension pg = new PostgresExtension();

  @Override
  protected String jdbcUrl() {
    return pg.database().jdbcUrlWithCredentials();
  }
}
