package dev.fabula.migration;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The parity check on PostgreSQL. */
class ParityPostgresTest extends ParityContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }
}
