package dev.fabula.examples.mealplanner;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * The external food diary the auto-sync job reads (in the team's app, a nutrition tracker's
 * API): whether a user cooked a planned meal.
 */
public interface FoodDiary {

  /**
   * What the user logged for a planned meal.
   *
   * @return null if the meal was cooked, else what the user did instead
   * @throws DiaryUnavailableException if the diary cannot be reached; the sync job then fails and
   *     the scheduler retries it
   */
  @Nullable String skippedBecause(String userId, LocalDate date, MealType mealType, String recipeId);

  /** The diary could not be reached. */
  final class DiaryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An outage with a message. */
    public DiaryUnavailableException(String message) {
      super(message);
    }
  }
}
