package dev.fabula.tracing;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tracing contract on PostgreSQL. */
class TracingPostgresTest extends TracingContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected JdbcEventStore openStore(EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), config, jdbc);
  }
}
