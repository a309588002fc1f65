package dev.fabula.examples.mealplanner;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * One meal of a generated plan. A slot is either filled with a recipe or left empty with the
 * reason: when every recipe of its meal type is still in its cooldown, the planner leaves the slot
 * empty rather than break the rotation rule (see {@link PlanGenerator}).
 *
 * @param date the day
 * @param mealType the meal
 * @param recipeId the recipe, or null for an empty slot
 * @param note why the slot is empty, or null
 */
public record PlanSlot(LocalDate date, MealType mealType, @Nullable String recipeId, @Nullable String note) {

  /** Whether a recipe was planned. */
  public boolean filled() {
    return recipeId != null;
  }
}
