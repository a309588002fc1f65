package dev.fabula.jdbc;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LogRemovalsContract} on one PostgreSQL database opened by two stores. */
class LogRemovalsPostgresTest extends LogRemovalsContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }
}
