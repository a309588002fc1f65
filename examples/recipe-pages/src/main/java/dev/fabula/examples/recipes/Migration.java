package dev.fabula.examples.recipes;

import dev.fabula.EventData;
import dev.fabula.examples.recipes.KitchenEvent.MealCooked;
import dev.fabula.examples.recipes.KitchenEvent.MealPlanned;
import dev.fabula.examples.recipes.KitchenEvent.MealUnplanned;
import dev.fabula.examples.recipes.KitchenEvent.RatingWithdrawn;
import dev.fabula.examples.recipes.KitchenEvent.RecipeCreated;
import dev.fabula.examples.recipes.KitchenEvent.RecipeDeleted;
import dev.fabula.examples.recipes.KitchenEvent.RecipeRated;
import dev.fabula.examples.recipes.KitchenEvent.RecipeTagged;
import dev.fabula.examples.recipes.KitchenEvent.RecipeUntagged;
import dev.fabula.examples.recipes.KitchenEvent.RecipeUpdated;
import dev.fabula.examples.recipes.KitchenEvent.ShoppingItemAdded;
import dev.fabula.examples.recipes.KitchenEvent.ShoppingItemRemoved;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.Capture;
import dev.fabula.migration.CaptureConfig;
import dev.fabula.migration.CaptureRunner;
import dev.fabula.migration.CapturedChange;
import dev.fabula.migration.ChangeMapping;
import dev.fabula.migration.ImportConfig;
import dev.fabula.migration.ImportSource;
import dev.fabula.migration.ImportSummary;
import dev.fabula.migration.Importer;
import dev.fabula.migration.MappedRow;
import dev.fabula.migration.ParityCheck;
import dev.fabula.migration.ParityConfig;
import dev.fabula.migration.ParityReport;
import dev.fabula.migration.RowMapping;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Moves the old app's tables into events without stopping it, with the {@code migration} module.
 *
 * <p><b>Which way the old writes reach the events.</b> We use <em>change capture</em>, not dual
 * writes: the old code stays exactly as it is, and triggers installed by {@link Capture} record each
 * insert, update and delete of its tables in the writer's own transaction. A {@link CaptureRunner}
 * turns the recorded changes into domain events by comparing the row before and after (a new tag in
 * the {@code tags} column becomes {@link RecipeTagged}, {@code deleted_at} being set becomes {@link
 * RecipeDeleted}, {@code cooked} going to 1 becomes {@link MealCooked}…). We chose it because it is
 * the simpler honest option: a dual write would mean changing every write path of the old code, and
 * a backfill racing with dual writes can import a row and also see its creation event (a double);
 * capture has a documented ordering rule instead (install first, backfill, then apply changes after
 * the backfill has finished: {@link CaptureConfig#withWaitForImport}), so every row ends as one
 * imported event plus each later change, exactly once.
 *
 * <p>Because a row changed while the backfill ran is both imported (in its new state) and captured,
 * a change can be seen twice; the events are "the thing is now this" (and tags are sets), so every
 * projection applies them idempotently.
 *
 * <p><b>Steps</b>: {@link #installCapture}, {@link #backfill} (deterministic event ids: a rerun
 * writes nothing), {@link #applyCapturedChanges} (call it on a schedule while both apps run), then
 * {@link #checkParity} once the pages have caught up.
 */
public final class Migration {

  /** The old app's tables, in the order they are imported. */
  public static final List<String> LEGACY_TABLES = List.of("recipes", "ratings", "meal_plans", "shopping_items");

  private final JdbcEventStore store;
  private final Tables t;

  Migration(JdbcEventStore store, Tables t) {
    this.store = store;
    this.t = t;
  }

  /**
   * A named parity check and its report.
   *
   * @param name what was compared
   * @param report the result
   */
  public record Parity(String name, ParityReport report) {}

  /** The import's name for a legacy table: its identity, part of every imported event's id. */
  public static String importName(String table) {
    return "legacy-" + table.replace('_', '-');
  }

  /** Installs the capture triggers on every legacy table (installing twice does nothing). */
  public void installCapture() {
    Capture capture = Capture.open(store);
    LEGACY_TABLES.forEach(table -> capture.install(t.table(table)));
  }

  /** Removes the capture triggers; the legacy tables are left exactly as they were. */
  public void removeCapture() {
    Capture capture = Capture.open(store);
    LEGACY_TABLES.forEach(table -> capture.remove(t.table(table)));
  }

  /** How many captured changes wait to become events. */
  public long pendingChanges() {
    Capture capture = Capture.open(store);
    return LEGACY_TABLES.stream().mapToLong(table -> capture.pending(t.table(table))).sum();
  }

  /**
   * Imports every legacy row as events, table by table, recipes first. Event ids are derived from
   * the import name and the row key, so running it again writes nothing.
   */
  public List<ImportSummary> backfill() {
    List<ImportSummary> out = new ArrayList<>();
    for (String table : LEGACY_TABLES) {
      ImportSource source = ImportSource.query(importName(table), "SELECT * FROM " + t.table(table), "id");
      out.add(Importer.open(store, source, importMapping(table), ImportConfig.DEFAULT).run());
    }
    return out;
  }

  /**
   * Turns the changes captured so far into events, table by table; each change is applied once,
   * and only after its table's backfill has finished. Returns how many changes were applied.
   */
  public long applyCapturedChanges() {
    long applied = 0;
    for (String table : LEGACY_TABLES) {
      applied += CaptureRunner.open(store, t.table(table), changeMapping(table),
          CaptureConfig.DEFAULT.withWaitForImport(importName(table))).drain();
    }
    return applied;
  }

  /**
   * Compares the page models with the legacy tables: the recipe list and its facet counts with
   * {@code recipes}, the recipe detail's rating summaries with {@code ratings}, the calendar with
   * {@code meal_plans} joined to {@code recipes}. Run it when the pages have caught up.
   */
  public List<Parity> checkParity() {
    List<Parity> out = new ArrayList<>();
    out.add(new Parity("recipe list vs recipes", ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT
            .withKeyColumns("recipe_id"))
        .compare(t.sql("SELECT id AS recipe_id, title, cuisine, difficulty, prep_minutes + cook_minutes AS total_minutes, "
                + "tags FROM {p}recipes WHERE deleted_at IS NULL"),
            t.sql("SELECT recipe_id, title, cuisine, difficulty, total_minutes, tags FROM {p}list_recipes"))));
    String bucket = "CASE WHEN prep_minutes + cook_minutes <= 20 THEN 'under 20 min' "
        + "WHEN prep_minutes + cook_minutes <= 45 THEN '20-45 min' ELSE 'over 45 min' END";
    out.add(new Parity("list facets vs recipes", ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT
            .withKeyColumns("facet", "value").withSumColumns("recipes"))
        .compare(t.sql("SELECT 'cuisine' AS facet, cuisine AS value, COUNT(*) AS recipes FROM {p}recipes "
                + "WHERE deleted_at IS NULL GROUP BY cuisine "
                + "UNION ALL SELECT 'difficulty', difficulty, COUNT(*) FROM {p}recipes WHERE deleted_at IS NULL "
                + "GROUP BY difficulty "
                + "UNION ALL SELECT 'time', " + bucket + ", COUNT(*) FROM {p}recipes WHERE deleted_at IS NULL "
                + "GROUP BY " + bucket),
            t.sql("SELECT facet, value, recipes FROM {p}list_facets WHERE facet <> 'tag'"))));
    out.add(new Parity("detail ratings vs ratings", ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT
            .withKeyColumns("recipe_id").withSumColumns("rating_count"))
        .compare(t.sql("SELECT recipe_id, COUNT(*) AS rating_count, ROUND(SUM(stars) * 1.0 / COUNT(*), 2) AS average, "
                + "SUM(CASE WHEN stars = 1 THEN 1 ELSE 0 END) AS stars_1, SUM(CASE WHEN stars = 2 THEN 1 ELSE 0 END) AS stars_2, "
                + "SUM(CASE WHEN stars = 3 THEN 1 ELSE 0 END) AS stars_3, SUM(CASE WHEN stars = 4 THEN 1 ELSE 0 END) AS stars_4, "
                + "SUM(CASE WHEN stars = 5 THEN 1 ELSE 0 END) AS stars_5 FROM {p}ratings GROUP BY recipe_id"),
            t.sql("SELECT recipe_id, rating_count, average, stars_1, stars_2, stars_3, stars_4, stars_5 "
                + "FROM {p}detail_rating_summary"))));
    out.add(new Parity("calendar vs meal_plans", ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT
            .withKeyColumns("meal_id"))
        .compare(t.sql("SELECT m.id AS meal_id, m.meal_date, m.meal_type, m.recipe_id, r.title AS recipe_title, "
                + "m.servings, m.cooked, CASE WHEN r.deleted_at IS NULL THEN 0 ELSE 1 END AS recipe_deleted "
                + "FROM {p}meal_plans m JOIN {p}recipes r ON r.id = m.recipe_id"),
            t.sql("SELECT meal_id, meal_date, meal_type, recipe_id, recipe_title, servings, cooked, recipe_deleted "
                + "FROM {p}cal_slots"))));
    return out;
  }

  // ---- mappings: legacy rows and captured changes to domain events ----------------------------

  /** How the backfill turns one legacy row into events. */
  static RowMapping importMapping(String table) {
    switch (table) {
      case "recipes":
        return row -> {
          RecipeCreated created = recipeCreated(row);
          return Rows.isNull(row, "deleted_at") ? events(created)
              : events(created, new RecipeDeleted(created.recipeId()));
        };
      case "ratings":
        return row -> events(rated(row));
      case "meal_plans":
        return row -> {
          MealPlanned planned = planned(row);
          return Rows.intValue(row, "cooked") == 1 ? events(planned, new MealCooked(planned.mealId())) : events(planned);
        };
      case "shopping_items":
        return row -> events(shoppingItem(row));
      default:
        throw new IllegalArgumentException("unknown legacy table " + table);
    }
  }

  /** How a captured insert, update or delete of a legacy table becomes events. */
  static ChangeMapping changeMapping(String table) {
    switch (table) {
      case "recipes":
        return Migration::recipeChange;
      case "ratings":
        return change -> change.operation() == CapturedChange.Operation.DELETE
            ? events(new RatingWithdrawn(Rows.longValue(change.row(), "recipe_id"), Rows.text(change.row(), "user_id")))
            : events(rated(change.row()));
      case "meal_plans":
        return Migration::mealChange;
      case "shopping_items":
        return change -> change.operation() == CapturedChange.Operation.DELETE
            ? events(new ShoppingItemRemoved(Rows.longValue(change.row(), "id")))
            : events(shoppingItem(change.row()));
      default:
        throw new IllegalArgumentException("unknown legacy table " + table);
    }
  }

  private static MappedRow recipeChange(CapturedChange change) {
    Map<String, Object> row = change.row();
    long id = Rows.longValue(row, "id");
    switch (change.operation()) {
      case INSERT:
        return importMappingUnchecked("recipes", row);
      case DELETE:
        return events(new RecipeDeleted(id));
      default:
        break;
    }
    Map<String, Object> before = Objects.requireNonNull(change.before());
    boolean wasDeleted = !Rows.isNull(before, "deleted_at");
    boolean isDeleted = !Rows.isNull(row, "deleted_at");
    if (!wasDeleted && isDeleted) {
      return events(new RecipeDeleted(id));
    }
    if (wasDeleted && !isDeleted) {
      return events(recipeCreated(row)); // restored: it exists again, as it is now
    }
    if (isDeleted) {
      return none(change); // edits of a deleted recipe show nowhere
    }
    List<KitchenEvent> out = new ArrayList<>();
    RecipeCreated old = recipeCreated(before);
    RecipeCreated now = recipeCreated(row);
    if (!card(old).equals(card(now))) {
      out.add(new RecipeUpdated(id, now.title(), now.cuisine(), now.difficulty(), now.prepMinutes(), now.cookMinutes(),
          now.ingredients()));
    }
    TreeSet<String> added = new TreeSet<>(now.tags());
    added.removeAll(old.tags());
    TreeSet<String> removed = new TreeSet<>(old.tags());
    removed.removeAll(now.tags());
    added.forEach(tag -> out.add(new RecipeTagged(id, tag)));
    removed.forEach(tag -> out.add(new RecipeUntagged(id, tag)));
    return out.isEmpty() ? none(change) : events(out.toArray(KitchenEvent[]::new));
  }

  private static List<Object> card(RecipeCreated r) {
    return List.of(r.title(), r.cuisine(), r.difficulty(), r.prepMinutes(), r.cookMinutes(), r.ingredients());
  }

  private static MappedRow mealChange(CapturedChange change) {
    Map<String, Object> row = change.row();
    long id = Rows.longValue(row, "id");
    switch (change.operation()) {
      case INSERT:
        return importMappingUnchecked("meal_plans", row);
      case DELETE:
        return events(new MealUnplanned(id));
      default:
        break;
    }
    Map<String, Object> before = Objects.requireNonNull(change.before());
    List<KitchenEvent> out = new ArrayList<>();
    MealPlanned old = planned(before);
    MealPlanned now = planned(row);
    if (!old.equals(now)) {
      out.add(now);
    }
    if (Rows.intValue(before, "cooked") == 0 && Rows.intValue(row, "cooked") == 1) {
      out.add(new MealCooked(id));
    }
    return out.isEmpty() ? none(change) : events(out.toArray(KitchenEvent[]::new));
  }

  private static MappedRow importMappingUnchecked(String table, Map<String, Object> row) {
    try {
      return importMapping(table).map(row);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static RecipeCreated recipeCreated(Map<String, Object> row) {
    return new RecipeCreated(Rows.longValue(row, "id"), Rows.text(row, "title"), Rows.text(row, "cuisine"),
        Rows.text(row, "difficulty"), Rows.intValue(row, "prep_minutes"), Rows.intValue(row, "cook_minutes"),
        RecipeListPage.splitTags(Rows.text(row, "tags")), Ingredient.parseLegacy(Rows.text(row, "ingredients")));
  }

  private static RecipeRated rated(Map<String, Object> row) {
    return new RecipeRated(Rows.longValue(row, "recipe_id"), Rows.text(row, "user_id"), Rows.intValue(row, "stars"));
  }

  private static MealPlanned planned(Map<String, Object> row) {
    return new MealPlanned(Rows.longValue(row, "id"), LocalDate.parse(Rows.text(row, "meal_date")),
        Rows.text(row, "meal_type"), Rows.longValue(row, "recipe_id"), Rows.intValue(row, "servings"));
  }

  private static ShoppingItemAdded shoppingItem(Map<String, Object> row) {
    return new ShoppingItemAdded(Rows.longValue(row, "id"), LocalDate.parse(Rows.text(row, "week_start")),
        Rows.text(row, "name"), Rows.decimal(row, "quantity"), Rows.text(row, "unit"), Rows.text(row, "category"));
  }

  /** A change that no page shows (such as {@code cooked} going back to 0): applied without events. */
  private static MappedRow none(CapturedChange change) {
    return new MappedRow(change.table() + "-" + Rows.text(change.row(), "id"), List.of());
  }

  /** Events of one stream (all events of one row go to the same stream). */
  private static MappedRow events(KitchenEvent... events) {
    return new MappedRow(events[0].streamId(), java.util.Arrays.stream(events).map(EventData::of).toList());
  }
}
