package dev.fabula.examples.recipes;

import dev.fabula.EventTypes;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.recipes.KitchenEvent.RatingWithdrawn;
import dev.fabula.examples.recipes.KitchenEvent.RecipeRated;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The dashboard: today's meals, today's prep reminders and a few metrics.
 *
 * <ul>
 *   <li>{@code dash_meals} (and {@code dash_recipes}): planned meals with their recipe copied in,
 *       read by day;
 *   <li>{@code dash_prep_tasks}: a reminder for every meal not cooked yet whose recipe needs at
 *       least {@value #PREP_REMINDER_MINUTES} minutes of preparation;
 *   <li>{@code dash_week_metrics}: per week, meals planned, meals cooked and distinct recipes cooked;
 *   <li>{@code dash_metrics}: active recipes, ratings of active recipes and their average
 *       ({@code dash_ratings} holds each user's current rating).
 * </ul>
 *
 * <p>Tasks and metrics are recomputed from the page's own tables at the end of every batch, in the
 * batch's transaction: always consistent with the meals, and idempotent. "Today" and "this week"
 * are chosen at read time, so the stored rows never go stale at midnight.
 */
public final class DashboardPage {

  /** The projection's name (its checkpoint). */
  public static final String NAME = "dashboard";

  /** The page's tables, without prefix. */
  public static final List<String> TABLES = List.of("dash_recipes", "dash_meals", "dash_ratings", "dash_prep_tasks",
      "dash_week_metrics", "dash_metrics");

  /** Recipes with at least this much preparation get a reminder. */
  public static final int PREP_REMINDER_MINUTES = 30;

  private DashboardPage() {}

  /**
   * One of today's meals.
   *
   * @param mealType {@code breakfast}, {@code lunch} or {@code dinner}
   * @param recipeTitle the recipe
   * @param servings how many people
   * @param cooked whether it was cooked
   * @param recipeDeleted whether the recipe was deleted since it was planned
   */
  public record Meal(String mealType, String recipeTitle, int servings, boolean cooked, boolean recipeDeleted) {}

  /**
   * The page.
   *
   * @param today the day shown
   * @param meals today's meals, breakfast first
   * @param prepTasks today's prep reminders
   * @param mealsPlannedThisWeek meals planned this week (Monday to Sunday)
   * @param mealsCookedThisWeek meals cooked this week
   * @param recipesCookedThisWeek distinct recipes cooked this week
   * @param activeRecipes recipes in the library (not deleted)
   * @param ratings ratings of active recipes
   * @param averageRating their average, 2 decimals (0 without ratings)
   */
  public record View(LocalDate today, List<Meal> meals, List<String> prepTasks, int mealsPlannedThisWeek,
      int mealsCookedThisWeek, int recipesCookedThisWeek, int activeRecipes, int ratings, BigDecimal averageRating) {
    /** Copies the lists. */
    public View {
      meals = List.copyOf(meals);
      prepTasks = List.copyOf(prepTasks);
      averageRating = Rows.plain(averageRating);
    }
  }

  static MealSlots slots(Tables t) {
    return new MealSlots(t, "dash_recipes", "dash_meals");
  }

  /** Creates the page's tables unless they exist. */
  static void createTables(Handle h, Tables t) {
    slots(t).createTables(h);
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}dash_ratings (recipe_id BIGINT NOT NULL, user_id TEXT NOT NULL, "
        + "stars INTEGER NOT NULL, PRIMARY KEY (recipe_id, user_id))"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}dash_prep_tasks (meal_id BIGINT PRIMARY KEY, meal_date TEXT NOT NULL, "
        + "meal_order INTEGER NOT NULL, task TEXT NOT NULL)"));
    h.execute(t.sql("CREATE INDEX IF NOT EXISTS {p}dash_prep_tasks_date ON {p}dash_prep_tasks (meal_date, meal_order)"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}dash_week_metrics (week_start TEXT PRIMARY KEY, "
        + "meals_planned INTEGER NOT NULL, meals_cooked INTEGER NOT NULL, recipes_cooked INTEGER NOT NULL)"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}dash_metrics (metric TEXT PRIMARY KEY, value NUMERIC(12,2) NOT NULL)"));
  }

  /** The projection that keeps the page's tables, in the checkpoint's transaction. */
  static Projection projection(Tables t, EventTypes types) {
    MealSlots slots = slots(t);
    return Projection.transactional(NAME, (h, events) -> {
          for (RecordedEvent e : events) {
            KitchenEvent event = (KitchenEvent) types.decode(e);
            slots.apply(h, event);
            if (event instanceof RecipeRated r) {
              h.execute(t.sql("INSERT INTO {p}dash_ratings (recipe_id, user_id, stars) VALUES (?, ?, ?) "
                  + "ON CONFLICT (recipe_id, user_id) DO UPDATE SET stars = excluded.stars"), r.recipeId(), r.userId(),
                  r.stars());
            } else if (event instanceof RatingWithdrawn w) {
              h.execute(t.sql("DELETE FROM {p}dash_ratings WHERE recipe_id = ? AND user_id = ?"), w.recipeId(),
                  w.userId());
            }
          }
          recompute(h, t);
        })
        .withFilter(EventFilter.ofTypes("recipe-created", "recipe-updated", "recipe-deleted", "recipe-rated",
            "rating-withdrawn", "meal-planned", "meal-cooked", "meal-unplanned"))
        .withReset(h -> {
          slots.reset(h);
          for (String table : List.of("dash_ratings", "dash_prep_tasks", "dash_week_metrics", "dash_metrics")) {
            h.execute("DELETE FROM " + t.table(table));
          }
        });
  }

  private static void recompute(Handle h, Tables t) {
    h.execute(t.sql("DELETE FROM {p}dash_prep_tasks"));
    h.execute(t.sql("INSERT INTO {p}dash_prep_tasks (meal_id, meal_date, meal_order, task) "
        + "SELECT meal_id, meal_date, meal_order, 'Prep ' || recipe_title || ' for ' || meal_type || ' ('"
        + " || prep_minutes || ' min)' FROM {p}dash_meals "
        + "WHERE cooked = 0 AND recipe_deleted = 0 AND prep_minutes >= " + PREP_REMINDER_MINUTES));
    h.execute(t.sql("DELETE FROM {p}dash_week_metrics"));
    h.execute(t.sql("INSERT INTO {p}dash_week_metrics (week_start, meals_planned, meals_cooked, recipes_cooked) "
        + "SELECT week_start, COUNT(*), SUM(cooked), COUNT(DISTINCT CASE WHEN cooked = 1 THEN recipe_id END) "
        + "FROM {p}dash_meals GROUP BY week_start"));
    h.execute(t.sql("DELETE FROM {p}dash_metrics"));
    h.execute(t.sql("INSERT INTO {p}dash_metrics (metric, value) "
        + "SELECT 'active_recipes', COUNT(*) FROM {p}dash_recipes WHERE deleted = 0"));
    String activeRatings = " FROM {p}dash_ratings r JOIN {p}dash_recipes c ON c.recipe_id = r.recipe_id AND c.deleted = 0";
    h.execute(t.sql("INSERT INTO {p}dash_metrics (metric, value) SELECT 'ratings', COUNT(*)" + activeRatings));
    h.execute(t.sql("INSERT INTO {p}dash_metrics (metric, value) "
        + "SELECT 'average_rating', COALESCE(ROUND(SUM(r.stars) * 1.0 / COUNT(*), 2), 0)" + activeRatings));
  }

  /** Reads the page for {@code today}: lookups by day, by week and by key, no joins. */
  static View read(Handle h, Tables t, LocalDate today) {
    List<Meal> meals = h.createQuery(t.sql("SELECT meal_type, recipe_title, servings, cooked, recipe_deleted "
            + "FROM {p}dash_meals WHERE meal_date = ? ORDER BY meal_order"))
        .bind(0, today.toString())
        .map((rs, ctx) -> new Meal(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4) == 1, rs.getInt(5) == 1))
        .list();
    List<String> tasks = h.createQuery(t.sql("SELECT task FROM {p}dash_prep_tasks WHERE meal_date = ? ORDER BY meal_order"))
        .bind(0, today.toString()).mapTo(String.class).list();
    Map<String, Object> week = h.createQuery(t.sql("SELECT meals_planned, meals_cooked, recipes_cooked "
            + "FROM {p}dash_week_metrics WHERE week_start = ?"))
        .bind(0, MealSlots.weekStart(today).toString()).mapToMap().findOne()
        .orElse(Map.of("meals_planned", 0, "meals_cooked", 0, "recipes_cooked", 0));
    Map<String, BigDecimal> metrics = h.createQuery(t.sql("SELECT metric, value FROM {p}dash_metrics"))
        .map((rs, ctx) -> Map.entry(rs.getString(1), Rows.decimal(rs.getObject(2)))).list().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    return new View(today, meals, tasks, Rows.intValue(week, "meals_planned"), Rows.intValue(week, "meals_cooked"),
        Rows.intValue(week, "recipes_cooked"), metrics.getOrDefault("active_recipes", BigDecimal.ZERO).intValue(),
        metrics.getOrDefault("ratings", BigDecimal.ZERO).intValue(),
        metrics.getOrDefault("average_rating", BigDecimal.ZERO));
  }
}
