package dev.fabula.examples.recipes;

import dev.fabula.jdbc.JdbcEventStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The old app, unchanged by the migration: CRUD writes to its domain-centric tables ({@code
 * recipes}, {@code ratings}, {@code meal_plans}, {@code shopping_items}) and page reads that join
 * and group them at read time. It knows nothing of events: its writes reach the event store through
 * the capture triggers ({@link Migration}).
 *
 * <p>Writes run in the event store's transactions only so that, on SQLite, they queue with the
 * store's other writers instead of failing busy; they touch the legacy tables alone.
 */
public final class LegacyApp {
  private final JdbcEventStore store;
  private final Tables t;
  private final Clock clock;

  LegacyApp(JdbcEventStore store, Tables t, Clock clock) {
    this.store = store;
    this.t = t;
    this.clock = clock;
  }

  /** The old schema, as the old app's migrations created it. */
  void createTables() {
    write(h -> {
      h.execute(t.sql("CREATE TABLE {p}recipes (id BIGINT PRIMARY KEY, title TEXT NOT NULL, cuisine TEXT NOT NULL, "
          + "difficulty TEXT NOT NULL, prep_minutes INTEGER NOT NULL, cook_minutes INTEGER NOT NULL, tags TEXT NOT NULL, "
          + "ingredients TEXT NOT NULL, deleted_at TEXT)"));
      h.execute(t.sql("CREATE TABLE {p}ratings (id BIGINT PRIMARY KEY, recipe_id BIGINT NOT NULL, user_id TEXT NOT NULL, "
          + "stars INTEGER NOT NULL, UNIQUE (recipe_id, user_id))"));
      h.execute(t.sql("CREATE TABLE {p}meal_plans (id BIGINT PRIMARY KEY, meal_date TEXT NOT NULL, meal_type TEXT NOT NULL, "
          + "recipe_id BIGINT NOT NULL, servings INTEGER NOT NULL, cooked INTEGER NOT NULL DEFAULT 0, "
          + "UNIQUE (meal_date, meal_type))"));
      h.execute(t.sql("CREATE TABLE {p}shopping_items (id BIGINT PRIMARY KEY, week_start TEXT NOT NULL, name TEXT NOT NULL, "
          + "quantity NUMERIC(12,3) NOT NULL, unit TEXT NOT NULL, category TEXT NOT NULL)"));
      return null;
    });
  }

  /** Whether the old schema exists already. */
  boolean tablesExist() {
    try {
      store.jdbi().withHandle(h -> h.createQuery(t.sql("SELECT COUNT(*) FROM {p}recipes")).mapTo(Long.class).one());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ---- writes (the old CRUD code) --------------------------------------------------------------

  /** Creates a recipe and returns its id. */
  public long createRecipe(String title, String cuisine, String difficulty, int prepMinutes, int cookMinutes,
      List<String> tags, List<Ingredient> ingredients) {
    return write(h -> {
      long id = nextId(h, "recipes");
      h.execute(t.sql("INSERT INTO {p}recipes (id, title, cuisine, difficulty, prep_minutes, cook_minutes, tags, "
          + "ingredients) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"), id, title, cuisine, difficulty, prepMinutes, cookMinutes,
          String.join(",", new TreeSet<>(tags)), Ingredient.formatLegacy(ingredients));
      return id;
    });
  }

  /** Changes a recipe's card and ingredients. */
  public void updateRecipe(long id, String title, String cuisine, String difficulty, int prepMinutes, int cookMinutes,
      List<Ingredient> ingredients) {
    write(h -> h.execute(t.sql("UPDATE {p}recipes SET title = ?, cuisine = ?, difficulty = ?, prep_minutes = ?, "
        + "cook_minutes = ?, ingredients = ? WHERE id = ?"), title, cuisine, difficulty, prepMinutes, cookMinutes,
        Ingredient.formatLegacy(ingredients), id));
  }

  /** Adds a tag to a recipe (tags are kept sorted in one text column). */
  public void tagRecipe(long id, String tag) {
    retag(id, tag, true);
  }

  /** Removes a tag from a recipe. */
  public void untagRecipe(long id, String tag) {
    retag(id, tag, false);
  }

  private void retag(long id, String tag, boolean add) {
    write(h -> {
      String current = h.createQuery(t.sql("SELECT tags FROM {p}recipes WHERE id = ?")).bind(0, id).mapTo(String.class).one();
      TreeSet<String> tags = new TreeSet<>(RecipeListPage.splitTags(current));
      if (add) {
        tags.add(tag);
      } else {
        tags.remove(tag);
      }
      return h.execute(t.sql("UPDATE {p}recipes SET tags = ? WHERE id = ?"), String.join(",", tags), id);
    });
  }

  /** Soft-deletes a recipe: sets {@code deleted_at}. */
  public void deleteRecipe(long id) {
    write(h -> h.execute(t.sql("UPDATE {p}recipes SET deleted_at = ? WHERE id = ?"), Instant.now(clock).toString(), id));
  }

  /** Records a user's rating of a recipe, replacing their earlier one. */
  public void rate(long recipeId, String userId, int stars) {
    write(h -> {
      int updated = h.execute(t.sql("UPDATE {p}ratings SET stars = ? WHERE recipe_id = ? AND user_id = ?"), stars,
          recipeId, userId);
      if (updated == 0) {
        h.execute(t.sql("INSERT INTO {p}ratings (id, recipe_id, user_id, stars) VALUES (?, ?, ?, ?)"),
            nextId(h, "ratings"), recipeId, userId, stars);
      }
      return updated;
    });
  }

  /** Plans a meal and returns its id. */
  public long planMeal(LocalDate date, String mealType, long recipeId, int servings) {
    return write(h -> {
      long id = nextId(h, "meal_plans");
      h.execute(t.sql("INSERT INTO {p}meal_plans (id, meal_date, meal_type, recipe_id, servings, cooked) "
          + "VALUES (?, ?, ?, ?, ?, 0)"), id, date.toString(), mealType, recipeId, servings);
      return id;
    });
  }

  /** Marks a meal cooked. */
  public void cookMeal(long mealId) {
    write(h -> h.execute(t.sql("UPDATE {p}meal_plans SET cooked = 1 WHERE id = ?"), mealId));
  }

  /** Takes a meal off the plan. */
  public void unplanMeal(long mealId) {
    write(h -> h.execute(t.sql("DELETE FROM {p}meal_plans WHERE id = ?"), mealId));
  }

  /** Adds an item to a week's shopping list by hand and returns its id. */
  public long addShoppingItem(LocalDate weekStart, String name, BigDecimal quantity, String unit, String category) {
    return write(h -> {
      long id = nextId(h, "shopping_items");
      h.execute(t.sql("INSERT INTO {p}shopping_items (id, week_start, name, quantity, unit, category) "
          + "VALUES (?, ?, ?, ?, ?, ?)"), id, weekStart.toString(), name, quantity, unit, category);
      return id;
    });
  }

  /** Removes a hand-added shopping item. */
  public void removeShoppingItem(long id) {
    write(h -> h.execute(t.sql("DELETE FROM {p}shopping_items WHERE id = ?"), id));
  }

  private long nextId(Handle h, String table) {
    return h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM " + t.table(table)).mapTo(Long.class).one();
  }

  private <R> R write(java.util.function.Function<Handle, R> work) {
    return store.inTransaction(tx -> work.apply(tx.unwrap(Handle.class)));
  }

  // ---- reads (the old pages: joins and GROUP BY at read time) ----------------------------------

  /** The recipe library, grouped at read time; tags split in Java. */
  public RecipeListPage.View recipeList(RecipeListPage.@Nullable Filter filter) {
    List<RecipeListPage.Card> all = store.jdbi().withHandle(h -> h.createQuery(t.sql("SELECT id, title, cuisine, "
            + "difficulty, prep_minutes + cook_minutes AS total, tags FROM {p}recipes WHERE deleted_at IS NULL "
            + "ORDER BY title, id"))
        .map((rs, ctx) -> new RecipeListPage.Card(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getInt(5), RecipeListPage.timeBucket(rs.getInt(5)), RecipeListPage.splitTags(rs.getString(6))))
        .list());
    java.util.TreeMap<List<String>, Integer> counts = new java.util.TreeMap<>(
        Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
    List<RecipeListPage.Card> shown = new ArrayList<>();
    for (RecipeListPage.Card card : all) {
      counts.merge(List.of("cuisine", card.cuisine()), 1, Integer::sum);
      counts.merge(List.of("difficulty", card.difficulty()), 1, Integer::sum);
      counts.merge(List.of("time", card.timeBucket()), 1, Integer::sum);
      card.tags().forEach(tag -> counts.merge(List.of("tag", tag), 1, Integer::sum));
      if (filter == null || facetValues(card, filter.facet()).contains(filter.value())) {
        shown.add(card);
      }
    }
    List<RecipeListPage.FacetCount> facets = new ArrayList<>();
    counts.forEach((k, n) -> facets.add(new RecipeListPage.FacetCount(k.get(0), k.get(1), n)));
    return new RecipeListPage.View(shown, facets);
  }

  private static List<String> facetValues(RecipeListPage.Card card, String facet) {
    switch (facet) {
      case "cuisine":
        return List.of(card.cuisine());
      case "difficulty":
        return List.of(card.difficulty());
      case "time":
        return List.of(card.timeBucket());
      default:
        return card.tags();
    }
  }

  /** A recipe with its ratings grouped at read time; empty for an unknown or deleted recipe. */
  public Optional<RecipeDetailPage.View> recipeDetail(long recipeId) {
    return store.jdbi().withHandle(h -> {
      RecipeDetailPage.Ratings ratings = h.createQuery(t.sql("SELECT COUNT(*) AS n, "
              + "ROUND(SUM(stars) * 1.0 / COUNT(*), 2) AS average, "
              + "SUM(CASE WHEN stars = 1 THEN 1 ELSE 0 END) AS s1, SUM(CASE WHEN stars = 2 THEN 1 ELSE 0 END) AS s2, "
              + "SUM(CASE WHEN stars = 3 THEN 1 ELSE 0 END) AS s3, SUM(CASE WHEN stars = 4 THEN 1 ELSE 0 END) AS s4, "
              + "SUM(CASE WHEN stars = 5 THEN 1 ELSE 0 END) AS s5 FROM {p}ratings WHERE recipe_id = ?"))
          .bind(0, recipeId).mapToMap().findOne()
          .filter(r -> Rows.intValue(r, "n") > 0)
          .map(r -> new RecipeDetailPage.Ratings(Rows.intValue(r, "n"), Rows.decimal(r, "average"),
              List.of(Rows.intValue(r, "s1"), Rows.intValue(r, "s2"), Rows.intValue(r, "s3"), Rows.intValue(r, "s4"),
                  Rows.intValue(r, "s5"))))
          .orElse(RecipeDetailPage.Ratings.NONE);
      return h.createQuery(t.sql("SELECT id, title, cuisine, difficulty, prep_minutes, cook_minutes, tags, ingredients "
              + "FROM {p}recipes WHERE id = ? AND deleted_at IS NULL")).bind(0, recipeId)
          .map((rs, ctx) -> new RecipeDetailPage.View(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getInt(5), rs.getInt(6), RecipeListPage.splitTags(rs.getString(7)),
              Ingredient.parseLegacy(rs.getString(8)), ratings))
          .findOne();
    });
  }

  /** The week that contains {@code day}, joined with the recipes at read time. */
  public CalendarPage.Week calendar(LocalDate day) {
    LocalDate monday = MealSlots.weekStart(day);
    List<CalendarPage.Slot> slots = store.jdbi().withHandle(h -> h.createQuery(t.sql("SELECT m.id, m.meal_date, "
            + "m.meal_type, m.recipe_id, r.title, m.servings, m.cooked, r.deleted_at FROM {p}meal_plans m "
            + "JOIN {p}recipes r ON r.id = m.recipe_id WHERE m.meal_date >= ? AND m.meal_date < ?"))
        .bind(0, monday.toString()).bind(1, monday.plusDays(7).toString())
        .map((rs, ctx) -> new CalendarPage.Slot(rs.getLong(1), LocalDate.parse(rs.getString(2)), rs.getString(3),
            rs.getLong(4), rs.getString(5), rs.getInt(6), rs.getInt(7) == 1, rs.getString(8) != null))
        .list());
    List<CalendarPage.Slot> sorted = new ArrayList<>(slots);
    sorted.sort(Comparator.comparing(CalendarPage.Slot::date).thenComparing(s -> MealSlots.mealOrder(s.mealType())));
    return new CalendarPage.Week(monday, sorted);
  }

  /** Runs {@code sql} on the legacy tables (for seeding and demonstrations), with {@code {p}} for the prefix. */
  void execute(String sql, Object... args) {
    write(h -> h.execute(t.sql(sql), args));
  }

  /** A legacy row count, for the tour's account. */
  long count(String table) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + t.table(table)).mapTo(Long.class).one());
  }

  /** The legacy tables' content keyed by table, for assertions that the migration never touches them. */
  Map<String, List<Map<String, Object>>> snapshot() {
    Map<String, List<Map<String, Object>>> out = new java.util.LinkedHashMap<>();
    for (String table : Migration.LEGACY_TABLES) {
      out.put(table, store.jdbi().withHandle(h -> h.createQuery("SELECT * FROM " + t.table(table) + " ORDER BY id")
          .mapToMap().list()));
    }
    return out;
  }
}
