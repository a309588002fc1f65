package dev.fabula.examples.mealplanner;

import dev.fabula.DataSubject;
import dev.fabula.EventType;
import dev.fabula.PersonalData;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every event the meal planner appends. Registering this sealed interface registers each record
 * in it under its {@link EventType} name.
 *
 * <p>Streams: {@code recipe-<id>} (the catalogue), {@code mealplan-<user>-<week start>} (one
 * plan and what became of its meals: the {@link MealPlan} aggregate), {@code sync-<date>},
 * {@code advice-<user>} and {@code trends-<user>}.
 *
 * <p>Personal data ({@link PersonalData}, docs/personal-data.md): what a user's diary says about a
 * skipped meal and the advice written for them are their own words or about their life, so they
 * are encrypted with a key of the user ({@link DataSubject}); {@link MealPlanner#eraseUser} makes
 * them read as {@code null} for good. What was planned and cooked (recipe ids, dates) and the user
 * id itself stay readable.
 */
public sealed interface MealPlannerEvent {

  /**
   * A recipe joined the catalogue.
   *
   * @param recipeId its id
   * @param name its name
   * @param mealType the meal it is for
   */
  @EventType("recipe-added")
  record RecipeAdded(String recipeId, String name, MealType mealType) implements MealPlannerEvent {}

  /**
   * A week's plan was generated for a user: one slot per day and meal type.
   *
   * @param userId the user
   * @param weekStart the first day (a Saturday)
   * @param generatedAt when
   * @param slots 7 days × 4 meal types, by day then meal type
   */
  @EventType("meal-plan-generated")
  record MealPlanGenerated(String userId, LocalDate weekStart, Instant generatedAt, List<PlanSlot> slots)
      implements MealPlannerEvent {
    /** Copies the slots. */
    public MealPlanGenerated {
      slots = List.copyOf(slots);
    }
  }

  /**
   * The food diary says the user cooked a planned meal.
   *
   * @param userId the user
   * @param date the day
   * @param mealType the meal
   * @param recipeId the recipe
   */
  @EventType("meal-cooked")
  record MealCooked(String userId, LocalDate date, MealType mealType, String recipeId) implements MealPlannerEvent {}

  /**
   * The food diary says the user did not cook a planned meal.
   *
   * @param userId the user
   * @param date the day
   * @param mealType the meal
   * @param recipeId the recipe that was planned
   * @param reason what the diary says instead (personal: null once the user is erased)
   */
  @EventType("meal-skipped")
  record MealSkipped(@DataSubject String userId, LocalDate date, MealType mealType, String recipeId,
      @PersonalData @Nullable String reason)
      implements MealPlannerEvent {}

  /**
   * A food-diary sync ran.
   *
   * @param occurrence the schedule occurrence it ran for
   * @param mealsCooked cooked meals it recorded
   * @param mealsSkipped skipped meals it recorded
   */
  @EventType("diary-synced")
  record DiarySynced(Instant occurrence, int mealsCooked, int mealsSkipped) implements MealPlannerEvent {}

  /**
   * The daily advisor told a user what to prepare for tomorrow.
   *
   * @param userId the user
   * @param date the day it was given
   * @param advice the text (personal: null once the user is erased)
   */
  @EventType("advice-given")
  record AdviceGiven(@DataSubject String userId, LocalDate date, @PersonalData @Nullable String advice)
      implements MealPlannerEvent {}

  /**
   * A user's week in numbers.
   *
   * @param userId the user
   * @param from the first day counted
   * @param to the last day counted
   * @param cooked meals cooked
   * @param skipped meals skipped
   * @param distinctRecipes different recipes cooked
   */
  @EventType("trends-computed")
  record TrendsComputed(String userId, LocalDate from, LocalDate to, int cooked, int skipped, int distinctRecipes)
      implements MealPlannerEvent {}
}
