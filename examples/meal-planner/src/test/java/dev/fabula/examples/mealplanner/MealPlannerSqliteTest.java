package dev.fabula.examples.mealplanner;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The meal planner's story on SQLite: a fresh database file per test. */
class MealPlannerSqliteTest extends MealPlannerScenario {
  @TempDir Path dir;

  @Override
  protected String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("meals.db");
  }
}
