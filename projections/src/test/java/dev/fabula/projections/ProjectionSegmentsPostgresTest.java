package dev.fabula.projections;

import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** Segmented projections on PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class ProjectionSegmentsPostgresTest extends ProjectionSegmentsContract {
  static PostgresDatabase db;

  @BeforeAll
  static void database(PostgresDatabase database) {
    db = database;
  }

  @Override
  protected String url() {
    return ProjectionPostgresTest.urlOf(db);
  }
}
