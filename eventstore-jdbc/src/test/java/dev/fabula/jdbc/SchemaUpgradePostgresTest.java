package dev.fabula.jdbc;

import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SchemaUpgradeContract} on PostgreSQL. */
class SchemaUpgradePostgresTest extends SchemaUpgradeContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected JdbcEventStore open(EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), config, jdbc);
  }

  @Override
  protected void eraseAsVersion1Did(Handle h, String events, String streamId) {
    h.execute("SET LOCAL fabula.allow_hard_delete = 'on'");
    h.createUpdate("DELETE FROM " + events + " WHERE stream_id = :s").bind("s", streamId).execute();
  }
}
