package dev.fabula.projections;

import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** Torture, crash and takeover on PostgreSQL (child processes connect to the test kit's server). */
@ExtendWith(PostgresExtension.class)
class ProjectionCrashPostgresTest extends ProjectionCrashContract {
  static PostgresDatabase db;

  @BeforeAll
  static void database(PostgresDatabase database) {
    db = database;
  }

  @Override
  protected String url() {
    return ProjectionPostgresTest.urlOf(db);
  }

  @Override
  protected int tortureTransactionsPerWriter() {
    return 60;
  }

  /** Positions come from a sequence as appends run: a transaction can commit after a later one. */
  @Override
  protected boolean commitsCanOvertake() {
    return true;
  }
}
