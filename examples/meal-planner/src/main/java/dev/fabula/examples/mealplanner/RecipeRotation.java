package dev.fabula.examples.mealplanner;

import dev.fabula.EventTypes;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealPlanGenerated;
import dev.fabula.examples.mealplanner.MealPlannerEvent.RecipeAdded;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import dev.fabula.projections.TransactionalHandler;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The recipe-rotation read model: the catalogue, and for every user, meal type and recipe the
 * last day it was planned and how often. Fed by a transactional projection (exactly once, in the
 * transaction that moves its checkpoint) from {@code recipe-added} and {@code meal-plan-generated}
 * events; read by the plan generation job.
 *
 * <p>Two tables next to the store's, named after the projection version so that a version 2 could
 * be built beside version 1: {@code <prefix>mp_recipes_v1} and {@code <prefix>mp_rotation_v1}.
 * Dates are ISO text ({@code 2025-03-08}), which sorts and compares the same on SQLite and
 * PostgreSQL.
 */
public final class RecipeRotation {
  /** The projection's name. */
  public static final String NAME = "recipe-rotation";

  private final JdbcEventStore store;
  private final EventTypes types;
  private final Projection projection;
  private final String recipes;
  private final String rotation;

  /** The read model of {@code store}, with tables prefixed {@code tablePrefix}; creates them. */
  public RecipeRotation(JdbcEventStore store, String tablePrefix) {
    this.store = store;
    this.types = store.types();
    Projection base = Projection.transactional(NAME, this::apply)
        .withFilter(EventFilter.ofTypes("recipe-added", "meal-plan-generated"));
    this.recipes = tablePrefix + base.table("mp_recipes");
    this.rotation = tablePrefix + base.table("mp_rotation");
    this.projection = base.withReset(h -> {
      h.execute("DELETE FROM " + recipes);
      h.execute("DELETE FROM " + rotation);
    });
  }

  /**
   * Creates the rotation's tables if they are missing: DDL, run by {@link MealPlanner#migrate}, never
   * when the planner opens.
   */
  static void createTables(Handle h, String tablePrefix) {
    Projection definition = Projection.transactional(NAME, (handle, events) -> {});
    h.execute("CREATE TABLE IF NOT EXISTS " + tablePrefix + definition.table("mp_recipes") + " ("
        + " recipe_id VARCHAR(100) PRIMARY KEY,"
        + " name VARCHAR(200) NOT NULL,"
        + " meal_type VARCHAR(20) NOT NULL)");
    h.execute("CREATE TABLE IF NOT EXISTS " + tablePrefix + definition.table("mp_rotation") + " ("
        + " user_id VARCHAR(100) NOT NULL,"
        + " meal_type VARCHAR(20) NOT NULL,"
        + " recipe_id VARCHAR(100) NOT NULL,"
        + " last_used VARCHAR(10) NOT NULL,"
        + " use_count INTEGER NOT NULL,"
        + " PRIMARY KEY (user_id, meal_type, recipe_id))");
  }

  /** The projection to run. */
  public Projection projection() {
    return projection;
  }

  private void apply(Handle h, List<RecordedEvent> events) {
    for (RecordedEvent e : events) {
      Object event = types.decode(e);
      if (event instanceof RecipeAdded added) {
        h.execute("INSERT INTO " + recipes + " (recipe_id, name, meal_type) VALUES (?, ?, ?)"
            + " ON CONFLICT (recipe_id) DO UPDATE SET name = excluded.name, meal_type = excluded.meal_type",
            added.recipeId(), added.name(), added.mealType().name());
      } else if (event instanceof MealPlanGenerated plan) {
        for (PlanSlot slot : plan.slots()) {
          if (!slot.filled()) {
            continue;
          }
          h.execute("INSERT INTO " + rotation + " (user_id, meal_type, recipe_id, last_used, use_count)"
              + " VALUES (?, ?, ?, ?, 1)"
              + " ON CONFLICT (user_id, meal_type, recipe_id) DO UPDATE SET"
              + " last_used = CASE WHEN excluded.last_used > " + rotation + ".last_used"
              + " THEN excluded.last_used ELSE " + rotation + ".last_used END,"
              + " use_count = " + rotation + ".use_count + 1",
              plan.userId(), slot.mealType().name(), slot.recipeId(), slot.date().toString());
        }
      }
    }
  }

  /** The catalogue: recipe ids per meal type, sorted. */
  public Map<MealType, List<String>> recipes() {
    Map<MealType, List<String>> out = new EnumMap<>(MealType.class);
    for (MealType t : MealType.values()) {
      out.put(t, new java.util.ArrayList<>());
    }
    store.jdbi().useHandle(h -> h.createQuery("SELECT recipe_id, meal_type FROM " + recipes + " ORDER BY recipe_id")
        .map((rs, ctx) -> Map.entry(MealType.valueOf(rs.getString(2)), rs.getString(1)))
        .forEach(e -> out.get(e.getKey()).add(e.getValue())));
    return out;
  }

  /** Recipe names by id. */
  public Map<String, String> names() {
    Map<String, String> out = new TreeMap<>();
    store.jdbi().useHandle(h -> h.createQuery("SELECT recipe_id, name FROM " + recipes)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** A user's last use of each recipe, per meal type. */
  public Map<MealType, Map<String, LocalDate>> lastUses(String userId) {
    Map<MealType, Map<String, LocalDate>> out = new EnumMap<>(MealType.class);
    store.jdbi().useHandle(h -> h.createQuery("SELECT meal_type, recipe_id, last_used FROM " + rotation + " WHERE user_id = ?")
        .bind(0, userId)
        .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
        .forEach(row -> out.computeIfAbsent(MealType.valueOf(row.get(0)), k -> new TreeMap<>())
            .put(row.get(1), LocalDate.parse(row.get(2)))));
    return out;
  }

  /** How many times a user has had a recipe planned (0 if never). */
  public int useCount(String userId, String recipeId) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT coalesce(sum(use_count), 0) FROM " + rotation
            + " WHERE user_id = ? AND recipe_id = ?")
        .bind(0, userId).bind(1, recipeId).mapTo(Integer.class).one());
  }
}
