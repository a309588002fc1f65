package dev.fabula.projections;

import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** A frozen lease holder on PostgreSQL (child processes connect to the test kit's server). */
@ExtendWith(PostgresExtension.class)
class ProjectionFencingPostgresTest extends ProjectionFencingContract {
  static PostgresDatabase db;

  @BeforeAll
  static void database(PostgresDatabase database) {
    db = database;
  }

  @Override
  protected String url() {
    return ProjectionPostgresTest.urlOf(db);
  }

  /** The runner's transactions carry idle_in_transaction_session_timeout: the server ends a frozen one. */
  @Override
  protected boolean databaseEndsFrozenTransactions() {
    return true;
  }
}
