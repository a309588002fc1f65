package dev.fabula.examples.recipes;

import dev.fabula.examples.recipes.KitchenEvent.MealCooked;
import dev.fabula.examples.recipes.KitchenEvent.MealPlanned;
import dev.fabula.examples.recipes.KitchenEvent.MealUnplanned;
import dev.fabula.examples.recipes.KitchenEvent.RecipeCreated;
import dev.fabula.examples.recipes.KitchenEvent.RecipeDeleted;
import dev.fabula.examples.recipes.KitchenEvent.RecipeUpdated;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Planned meals with their recipe's title and times copied in (denormalised), as the calendar and
 * the dashboard both show them. Each of those projections keeps its <em>own</em> two tables with
 * this code: projections run independently, each at its own checkpoint, so one must never read
 * another's tables.
 *
 * <p>Events may come in any order across streams (a meal planned before its recipe was imported,
 * say): a slot whose recipe is not known yet shows {@code ?} and is filled in when the recipe
 * arrives, and every recipe change is copied into the slots that show it.
 */
final class MealSlots {
  /** The order of meal types within a day; unknown types come last. */
  static final Map<String, Integer> MEAL_ORDER = Map.of("breakfast", 1, "lunch", 2, "dinner", 3);

  private final String recipes;
  private final String slots;

  MealSlots(Tables t, String recipesTable, String slotsTable) {
    this.recipes = t.table(recipesTable);
    this.slots = t.table(slotsTable);
  }

  static LocalDate weekStart(LocalDate date) {
    return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  static int mealOrder(String mealType) {
    return MEAL_ORDER.getOrDefault(mealType, 4);
  }

  void createTables(Handle h) {
    h.execute("CREATE TABLE IF NOT EXISTS " + recipes + " (recipe_id BIGINT PRIMARY KEY, title TEXT NOT NULL, "
        + "prep_minutes INTEGER NOT NULL, total_minutes INTEGER NOT NULL, deleted INTEGER NOT NULL)");
    h.execute("CREATE TABLE IF NOT EXISTS " + slots + " (meal_id BIGINT PRIMARY KEY, week_start TEXT NOT NULL, "
        + "meal_date TEXT NOT NULL, meal_order INTEGER NOT NULL, meal_type TEXT NOT NULL, recipe_id BIGINT NOT NULL, "
        + "recipe_title TEXT NOT NULL, prep_minutes INTEGER NOT NULL, total_minutes INTEGER NOT NULL, "
        + "servings INTEGER NOT NULL, cooked INTEGER NOT NULL, recipe_deleted INTEGER NOT NULL)");
    h.execute("CREATE INDEX IF NOT EXISTS " + slots + "_week ON " + slots + " (week_start, meal_date, meal_order)");
    h.execute("CREATE INDEX IF NOT EXISTS " + slots + "_date ON " + slots + " (meal_date, meal_order)");
    h.execute("CREATE INDEX IF NOT EXISTS " + slots + "_recipe ON " + slots + " (recipe_id)");
  }

  void reset(Handle h) {
    h.execute("DELETE FROM " + slots);
    h.execute("DELETE FROM " + recipes);
  }

  /** Applies a recipe or meal event; ignores the others. */
  void apply(Handle h, KitchenEvent event) {
    if (event instanceof RecipeCreated c) {
      recipe(h, c.recipeId(), c.title(), c.prepMinutes(), c.prepMinutes() + c.cookMinutes(), 0);
    } else if (event instanceof RecipeUpdated u) {
      int deleted = h.createQuery("SELECT deleted FROM " + recipes + " WHERE recipe_id = ?").bind(0, u.recipeId())
          .mapTo(Integer.class).findOne().orElse(0);
      recipe(h, u.recipeId(), u.title(), u.prepMinutes(), u.prepMinutes() + u.cookMinutes(), deleted);
    } else if (event instanceof RecipeDeleted d) {
      h.execute("UPDATE " + recipes + " SET deleted = 1 WHERE recipe_id = ?", d.recipeId());
      h.execute("UPDATE " + slots + " SET recipe_deleted = 1 WHERE recipe_id = ?", d.recipeId());
    } else if (event instanceof MealPlanned p) {
      Optional<Map<String, Object>> recipe = h.createQuery("SELECT title, prep_minutes, total_minutes, deleted FROM "
          + recipes + " WHERE recipe_id = ?").bind(0, p.recipeId()).mapToMap().findOne();
      h.createUpdate("INSERT INTO " + slots + " (meal_id, week_start, meal_date, meal_order, meal_type, recipe_id, "
              + "recipe_title, prep_minutes, total_minutes, servings, cooked, recipe_deleted) VALUES (:id, :week, :date, "
              + ":order, :type, :recipe, :title, :prep, :total, :servings, 0, :deleted) ON CONFLICT (meal_id) DO UPDATE SET "
              + "week_start = excluded.week_start, meal_date = excluded.meal_date, meal_order = excluded.meal_order, "
              + "meal_type = excluded.meal_type, recipe_id = excluded.recipe_id, recipe_title = excluded.recipe_title, "
              + "prep_minutes = excluded.prep_minutes, total_minutes = excluded.total_minutes, "
              + "servings = excluded.servings, recipe_deleted = excluded.recipe_deleted")
          .bind("id", p.mealId()).bind("week", weekStart(p.date()).toString()).bind("date", p.date().toString())
          .bind("order", mealOrder(p.mealType())).bind("type", p.mealType()).bind("recipe", p.recipeId())
          .bind("title", recipe.map(r -> Rows.text(r, "title")).orElse("?"))
          .bind("prep", recipe.map(r -> Rows.intValue(r, "prep_minutes")).orElse(0))
          .bind("total", recipe.map(r -> Rows.intValue(r, "total_minutes")).orElse(0))
          .bind("servings", p.servings())
          .bind("deleted", recipe.map(r -> Rows.intValue(r, "deleted")).orElse(0))
          .execute();
    } else if (event instanceof MealCooked c) {
      h.execute("UPDATE " + slots + " SET cooked = 1 WHERE meal_id = ?", c.mealId());
    } else if (event instanceof MealUnplanned u) {
      h.execute("DELETE FROM " + slots + " WHERE meal_id = ?", u.mealId());
    }
  }

  private void recipe(Handle h, long recipeId, String title, int prepMinutes, int totalMinutes, int deleted) {
    h.createUpdate("INSERT INTO " + recipes + " (recipe_id, title, prep_minutes, total_minutes, deleted) "
            + "VALUES (:id, :title, :prep, :total, :deleted) ON CONFLICT (recipe_id) DO UPDATE SET title = excluded.title, "
            + "prep_minutes = excluded.prep_minutes, total_minutes = excluded.total_minutes, deleted = excluded.deleted")
        .bind("id", recipeId).bind("title", title).bind("prep", prepMinutes).bind("total", totalMinutes)
        .bind("deleted", deleted).execute();
    h.createUpdate("UPDATE " + slots + " SET recipe_title = :title, prep_minutes = :prep, total_minutes = :total, "
            + "recipe_deleted = :deleted WHERE recipe_id = :id")
        .bind("id", recipeId).bind("title", title).bind("prep", prepMinutes).bind("total", totalMinutes)
        .bind("deleted", deleted).execute();
  }
}
