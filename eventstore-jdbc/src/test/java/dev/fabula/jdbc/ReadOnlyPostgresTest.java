package dev.fabula.jdbc;

import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Read-only work on PostgreSQL (a {@code READ ONLY} transaction). */
class ReadOnlyPostgresTest extends ReadOnlyContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected JdbcEventStore open(EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), config, jdbc);
  }
}
