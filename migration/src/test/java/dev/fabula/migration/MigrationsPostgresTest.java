package dev.fabula.migration;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migrations on PostgreSQL. */
class MigrationsPostgresTest extends MigrationsContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }
}
