package dev.fabula.jdbc;

import dev.fabula.testkit.postgres.PostgresExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transaction join contract on PostgreSQL. */
class TransactionJoinPostgresTest extends TransactionJoinContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected DataSource dataSource() {
    return postgres.database().dataSource();
  }
}
