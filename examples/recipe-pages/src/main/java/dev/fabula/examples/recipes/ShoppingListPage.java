package dev.fabula.examples.recipes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.EventTypes;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.recipes.KitchenEvent.MealPlanned;
import dev.fabula.examples.recipes.KitchenEvent.MealUnplanned;
import dev.fabula.examples.recipes.KitchenEvent.RecipeCreated;
import dev.fabula.examples.recipes.KitchenEvent.RecipeDeleted;
import dev.fabula.examples.recipes.KitchenEvent.RecipeUpdated;
import dev.fabula.examples.recipes.KitchenEvent.ShoppingItemAdded;
import dev.fabula.examples.recipes.KitchenEvent.ShoppingItemRemoved;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The shopping list page: for a week's plan, every ingredient summed per item (per-serving
 * quantities × servings of each planned meal, plus items added by hand), and per category the
 * number of lines.
 *
 * <p>The projection keeps what it needs to recompute a week in its own tables ({@code
 * shop_recipes}: ingredients; {@code shop_meals}: which recipe, how many servings, which week;
 * {@code shop_extras}: hand-added items) and, at the end of each batch, recomputes only the weeks
 * the batch touched into {@code shop_lines} and {@code shop_category_totals}. Quantities are summed
 * in Java as {@link BigDecimal}s (SQLite sums decimals as binary floating point). Meals of deleted
 * recipes drop off the list.
 */
public final class ShoppingListPage {

  /** The projection's name (its checkpoint). */
  public static final String NAME = "shopping-list";

  /** The page's tables, without prefix. */
  public static final List<String> TABLES = List.of("shop_recipes", "shop_meals", "shop_extras", "shop_lines",
      "shop_category_totals");

  private static final TypeReference<List<Ingredient>> INGREDIENTS = new TypeReference<>() {};

  private ShoppingListPage() {}

  /**
   * One line of the list.
   *
   * @param category the aisle
   * @param item what to buy
   * @param quantity how much, summed over the week
   * @param unit the unit
   */
  public record Line(String category, String item, BigDecimal quantity, String unit) {
    /** Strips trailing zeros from the quantity. */
    public Line {
      quantity = Rows.plain(quantity);
    }
  }

  /**
   * The lines of one category.
   *
   * @param category the aisle
   * @param lines how many lines
   */
  public record CategoryTotal(String category, int lines) {}

  /**
   * The page.
   *
   * @param weekStart the Monday of the week
   * @param lines the lines, by category and item
   * @param totals the category totals, by category
   */
  public record View(LocalDate weekStart, List<Line> lines, List<CategoryTotal> totals) {
    /** Copies the lists. */
    public View {
      lines = List.copyOf(lines);
      totals = List.copyOf(totals);
    }
  }

  /** Creates the page's tables unless they exist. */
  static void createTables(Handle h, Tables t) {
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}shop_recipes (recipe_id BIGINT PRIMARY KEY, ingredients TEXT NOT NULL, "
        + "deleted INTEGER NOT NULL)"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}shop_meals (meal_id BIGINT PRIMARY KEY, week_start TEXT NOT NULL, "
        + "recipe_id BIGINT NOT NULL, servings INTEGER NOT NULL)"));
    h.execute(t.sql("CREATE INDEX IF NOT EXISTS {p}shop_meals_week ON {p}shop_meals (week_start)"));
    h.execute(t.sql("CREATE INDEX IF NOT EXISTS {p}shop_meals_recipe ON {p}shop_meals (recipe_id)"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}shop_extras (item_id BIGINT PRIMARY KEY, week_start TEXT NOT NULL, "
        + "name TEXT NOT NULL, quantity NUMERIC(12,3) NOT NULL, unit TEXT NOT NULL, category TEXT NOT NULL)"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}shop_lines (week_start TEXT NOT NULL, item TEXT NOT NULL, "
        + "unit TEXT NOT NULL, category TEXT NOT NULL, quantity NUMERIC(12,3) NOT NULL, PRIMARY KEY (week_start, item, unit))"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}shop_category_totals (week_start TEXT NOT NULL, category TEXT NOT NULL, "
        + "line_count INTEGER NOT NULL, PRIMARY KEY (week_start, category))"));
  }

  /** The projection that keeps the page's tables, in the checkpoint's transaction. */
  static Projection projection(Tables t, EventTypes types) {
    ObjectMapper json = types.mapper();
    return Projection.transactional(NAME, (h, events) -> {
          TreeSet<String> weeks = new TreeSet<>();
          for (RecordedEvent e : events) {
            apply(h, t, json, (KitchenEvent) types.decode(e), weeks);
          }
          for (String week : weeks) {
            recompute(h, t, json, week);
          }
        })
        .withFilter(EventFilter.ofTypes("recipe-created", "recipe-updated", "recipe-deleted", "meal-planned",
            "meal-unplanned", "shopping-item-added", "shopping-item-removed"))
        .withReset(h -> TABLES.forEach(table -> h.execute("DELETE FROM " + t.table(table))));
  }

  private static void apply(Handle h, Tables t, ObjectMapper json, KitchenEvent event, TreeSet<String> weeks)
      throws JsonProcessingException {
    if (event instanceof RecipeCreated c) {
      recipe(h, t, c.recipeId(), json.writeValueAsString(c.ingredients()), 0, weeks);
    } else if (event instanceof RecipeUpdated u) {
      int deleted = h.createQuery(t.sql("SELECT deleted FROM {p}shop_recipes WHERE recipe_id = ?")).bind(0, u.recipeId())
          .mapTo(Integer.class).findOne().orElse(0);
      recipe(h, t, u.recipeId(), json.writeValueAsString(u.ingredients()), deleted, weeks);
    } else if (event instanceof RecipeDeleted d) {
      h.execute(t.sql("UPDATE {p}shop_recipes SET deleted = 1 WHERE recipe_id = ?"), d.recipeId());
      weeks.addAll(weeksOfRecipe(h, t, d.recipeId()));
    } else if (event instanceof MealPlanned p) {
      weekOf(h, t, "shop_meals", "meal_id", p.mealId()).ifPresent(weeks::add);
      String week = MealSlots.weekStart(p.date()).toString();
      h.execute(t.sql("INSERT INTO {p}shop_meals (meal_id, week_start, recipe_id, servings) VALUES (?, ?, ?, ?) "
          + "ON CONFLICT (meal_id) DO UPDATE SET week_start = excluded.week_start, recipe_id = excluded.recipe_id, "
          + "servings = excluded.servings"), p.mealId(), week, p.recipeId(), p.servings());
      weeks.add(week);
    } else if (event instanceof MealUnplanned u) {
      weekOf(h, t, "shop_meals", "meal_id", u.mealId()).ifPresent(weeks::add);
      h.execute(t.sql("DELETE FROM {p}shop_meals WHERE meal_id = ?"), u.mealId());
    } else if (event instanceof ShoppingItemAdded a) {
      weekOf(h, t, "shop_extras", "item_id", a.itemId()).ifPresent(weeks::add);
      h.execute(t.sql("INSERT INTO {p}shop_extras (item_id, week_start, name, quantity, unit, category) "
          + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET week_start = excluded.week_start, "
          + "name = excluded.name, quantity = excluded.quantity, unit = excluded.unit, category = excluded.category"),
          a.itemId(), a.weekStart().toString(), a.name(), a.quantity(), a.unit(), a.category());
      weeks.add(a.weekStart().toString());
    } else if (event instanceof ShoppingItemRemoved r) {
      weekOf(h, t, "shop_extras", "item_id", r.itemId()).ifPresent(weeks::add);
      h.execute(t.sql("DELETE FROM {p}shop_extras WHERE item_id = ?"), r.itemId());
    }
  }

  private static void recipe(Handle h, Tables t, long recipeId, String ingredients, int deleted, TreeSet<String> weeks) {
    h.execute(t.sql("INSERT INTO {p}shop_recipes (recipe_id, ingredients, deleted) VALUES (?, ?, ?) "
        + "ON CONFLICT (recipe_id) DO UPDATE SET ingredients = excluded.ingredients, deleted = excluded.deleted"),
        recipeId, ingredients, deleted);
    weeks.addAll(weeksOfRecipe(h, t, recipeId));
  }

  private static List<String> weeksOfRecipe(Handle h, Tables t, long recipeId) {
    return h.createQuery(t.sql("SELECT DISTINCT week_start FROM {p}shop_meals WHERE recipe_id = ?")).bind(0, recipeId)
        .mapTo(String.class).list();
  }

  private static java.util.Optional<String> weekOf(Handle h, Tables t, String table, String key, long id) {
    return h.createQuery("SELECT week_start FROM " + t.table(table) + " WHERE " + key + " = ?").bind(0, id)
        .mapTo(String.class).findOne();
  }

  /** Recomputes one week's lines and category totals from the meals, recipes and extras. */
  private static void recompute(Handle h, Tables t, ObjectMapper json, String week) throws JsonProcessingException {
    Map<List<String>, BigDecimal> quantities = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
    List<Map<String, Object>> meals = h.createQuery(t.sql("SELECT m.servings, r.ingredients FROM {p}shop_meals m "
            + "JOIN {p}shop_recipes r ON r.recipe_id = m.recipe_id AND r.deleted = 0 WHERE m.week_start = ?"))
        .bind(0, week).mapToMap().list();
    Map<List<String>, String> categories = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
    for (Map<String, Object> meal : meals) {
      BigDecimal servings = Rows.decimal(meal, "servings");
      for (Ingredient i : json.readValue(Rows.text(meal, "ingredients"), INGREDIENTS)) {
        List<String> key = List.of(i.name(), i.unit());
        quantities.merge(key, i.quantity().multiply(servings), BigDecimal::add);
        categories.putIfAbsent(key, i.category());
      }
    }
    for (Map<String, Object> extra : h.createQuery(t.sql("SELECT name, quantity, unit, category FROM {p}shop_extras "
        + "WHERE week_start = ?")).bind(0, week).mapToMap().list()) {
      List<String> key = List.of(Rows.text(extra, "name"), Rows.text(extra, "unit"));
      quantities.merge(key, Rows.decimal(extra, "quantity"), BigDecimal::add);
      categories.putIfAbsent(key, Rows.text(extra, "category"));
    }
    h.execute(t.sql("DELETE FROM {p}shop_lines WHERE week_start = ?"), week);
    h.execute(t.sql("DELETE FROM {p}shop_category_totals WHERE week_start = ?"), week);
    Map<String, Integer> lines = new TreeMap<>();
    quantities.forEach((key, quantity) -> {
      String category = categories.get(key);
      h.execute(t.sql("INSERT INTO {p}shop_lines (week_start, item, unit, category, quantity) VALUES (?, ?, ?, ?, ?)"),
          week, key.get(0), key.get(1), category, quantity);
      lines.merge(category, 1, Integer::sum);
    });
    lines.forEach((category, count) -> h.execute(t.sql("INSERT INTO {p}shop_category_totals (week_start, category, "
        + "line_count) VALUES (?, ?, ?)"), week, category, count));
  }

  /** Reads the list of the week that contains {@code day}: two range reads by week, no joins. */
  static View read(Handle h, Tables t, LocalDate day) {
    String week = MealSlots.weekStart(day).toString();
    List<Line> lines = h.createQuery(t.sql("SELECT category, item, quantity, unit FROM {p}shop_lines "
            + "WHERE week_start = ? ORDER BY category, item"))
        .bind(0, week)
        .map((rs, ctx) -> new Line(rs.getString(1), rs.getString(2), Rows.decimal(rs.getObject(3)), rs.getString(4)))
        .list();
    List<CategoryTotal> totals = h.createQuery(t.sql("SELECT category, line_count FROM {p}shop_category_totals "
            + "WHERE week_start = ? ORDER BY category"))
        .bind(0, week).map((rs, ctx) -> new CategoryTotal(rs.getString(1), rs.getInt(2))).list();
    return new View(MealSlots.weekStart(day), lines, totals);
  }
}
