package dev.fabula.examples.recipes;

import dev.fabula.EventTypes;
import dev.fabula.RecordedEvent;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The meal calendar page: a week view, days × meal types. Its table {@code cal_slots} holds one row
 * per planned meal with the recipe's title copied in and the week precomputed, so a week is one
 * indexed range read ({@code cal_recipes} remembers the recipes it copies from).
 */
public final class CalendarPage {

  /** The projection's name (its checkpoint). */
  public static final String NAME = "calendar";

  /** The page's tables, without prefix. */
  public static final List<String> TABLES = List.of("cal_recipes", "cal_slots");

  private CalendarPage() {}

  /**
   * One planned meal in the grid.
   *
   * @param mealId the meal
   * @param date the day
   * @param mealType {@code breakfast}, {@code lunch} or {@code dinner}
   * @param recipeId the recipe
   * @param recipeTitle the recipe's title ({@code ?} until the recipe is known)
   * @param servings how many people
   * @param cooked whether it was cooked
   * @param recipeDeleted whether the recipe was deleted since
   */
  public record Slot(long mealId, LocalDate date, String mealType, long recipeId, String recipeTitle, int servings,
      boolean cooked, boolean recipeDeleted) {}

  /**
   * A week.
   *
   * @param weekStart the Monday
   * @param slots the planned meals, by day and meal type
   */
  public record Week(LocalDate weekStart, List<Slot> slots) {
    /** Copies the slots. */
    public Week {
      slots = List.copyOf(slots);
    }
  }

  static MealSlots slots(Tables t) {
    return new MealSlots(t, "cal_recipes", "cal_slots");
  }

  /** Creates the page's tables unless they exist. */
  static void createTables(Handle h, Tables t) {
    slots(t).createTables(h);
  }

  /** The projection that keeps the page's tables, in the checkpoint's transaction. */
  static Projection projection(Tables t, EventTypes types) {
    MealSlots slots = slots(t);
    return Projection.transactional(NAME, (h, events) -> {
          for (RecordedEvent e : events) {
            slots.apply(h, (KitchenEvent) types.decode(e));
          }
        })
        .withFilter(EventFilter.ofTypes("recipe-created", "recipe-updated", "recipe-deleted", "meal-planned",
            "meal-cooked", "meal-unplanned"))
        .withReset(slots::reset);
  }

  /** Reads the week that contains {@code day}: one range read on an index, no joins. */
  static Week read(Handle h, Tables t, LocalDate day) {
    LocalDate monday = MealSlots.weekStart(day);
    List<Slot> slots = h.createQuery(t.sql("SELECT meal_id, meal_date, meal_type, recipe_id, recipe_title, servings, "
            + "cooked, recipe_deleted FROM {p}cal_slots WHERE week_start = ? ORDER BY meal_date, meal_order"))
        .bind(0, monday.toString())
        .map((rs, ctx) -> new Slot(rs.getLong(1), LocalDate.parse(rs.getString(2)), rs.getString(3), rs.getLong(4),
            rs.getString(5), rs.getInt(6), rs.getInt(7) == 1, rs.getInt(8) == 1))
        .list();
    return new Week(monday, slots);
  }
}
