package dev.fabula.jdbc;

import dev.fabula.testkit.postgres.PostgresExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The AggregateInDoubtContract on PostgreSQL. */
class AggregateInDoubtPostgresTest extends AggregateInDoubtContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected DataSource dataSource() {
    return postgres.database().dataSource();
  }
}
