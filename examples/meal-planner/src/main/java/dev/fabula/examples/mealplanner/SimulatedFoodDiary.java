package dev.fabula.examples.mealplanner;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic stand-in for the food diary: about one meal in six is skipped ("ate out"),
 * decided by a hash of user, day and meal, and the diary can be made unreachable for a window of
 * (clock) time to show retries. Thread-safe.
 */
public final class SimulatedFoodDiary implements FoodDiary {
  private final Clock clock;
  private final List<Instant[]> outages = new CopyOnWriteArrayList<>();

  /** A diary that reads the time (for outages) from {@code clock}. */
  public SimulatedFoodDiary(Clock clock) {
    this.clock = clock;
  }

  /** Makes the diary unreachable from {@code from} (inclusive) to {@code to} (exclusive). */
  public SimulatedFoodDiary outage(Instant from, Instant to) {
    outages.add(new Instant[] {from, to});
    return this;
  }

  /** Whether the diary is unreachable at {@code at}. */
  public boolean down(Instant at) {
    return outages.stream().anyMatch(o -> !at.isBefore(o[0]) && at.isBefore(o[1]));
  }

  /** Whether the simulated user skipped this meal: a pure function of its arguments. */
  public static boolean skips(String userId, LocalDate date, MealType mealType) {
    return Math.floorMod((userId + "/" + date + "/" + mealType).hashCode(), 6) == 0;
  }

  @Override
  public @Nullable String skippedBecause(String userId, LocalDate date, MealType mealType, String recipeId) {
    Instant now = clock.instant();
    if (down(now)) {
      throw new DiaryUnavailableException("food diary unavailable (HTTP 503)");
    }
    return skips(userId, date, mealType) ? "ate out" : null;
  }
}
