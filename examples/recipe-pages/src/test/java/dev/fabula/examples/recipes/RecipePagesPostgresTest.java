package dev.fabula.examples.recipes;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The story on PostgreSQL: one database for the class, a table prefix per app. */
class RecipePagesPostgresTest extends RecipePagesContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }

  @Test
  void the_tour_tells_the_story_on_postgresql() {
    assertTourOutput(tour(url()));
  }
}
