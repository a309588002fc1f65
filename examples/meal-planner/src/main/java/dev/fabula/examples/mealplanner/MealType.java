package dev.fabula.examples.mealplanner;

import java.time.LocalTime;

/** The four meals of a day, each with the local time it is usually eaten. */
public enum MealType {
  /** Eaten at 07:30. */
  BREAKFAST(LocalTime.of(7, 30)),
  /** Eaten at 12:30. */
  LUNCH(LocalTime.of(12, 30)),
  /** Eaten at 16:00. */
  SNACK(LocalTime.of(16, 0)),
  /** Eaten at 18:30. */
  DINNER(LocalTime.of(18, 30));

  private final LocalTime usualTime;

  MealType(LocalTime usualTime) {
    this.usualTime = usualTime;
  }

  /** When this meal is usually eaten, local time. */
  public LocalTime usualTime() {
    return usualTime;
  }

  /** The lower-case name, for people. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
