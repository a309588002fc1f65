package dev.fabula.jdbc;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SerializedWritersContract on PostgreSQL: the stream lock (lock_stream.sql) serialises the processes. */
class SerializedWritersPostgresTest extends SerializedWritersContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }
}
