package dev.fabula.jdbc;

import dev.fabula.testkit.postgres.PostgresExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The InDoubtCommitContract on PostgreSQL (the failed session is waited for before the look-up). */
class InDoubtCommitPostgresTest extends InDoubtCommitContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected DataSource dataSource() {
    return postgres.database().dataSource();
  }
}
