package dev.fabula.examples.mealplanner;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meal planner's story on PostgreSQL: one database per class, a table prefix per test. */
class MealPlannerPostgresTest extends MealPlannerScenario {
  @RegisterExtension static PostgresExtension pg = new PostgresExtension();

  @Override
  protected String jdbcUrl() {
    return pg.database().jdbcUrlWithCredentials();
  }
}
