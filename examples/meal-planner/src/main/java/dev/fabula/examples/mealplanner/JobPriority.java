package dev.fabula.examples.mealplanner;

import dev.fabula.scheduler.Priority;

/**
 * The team's four priority levels, mapped onto the scheduler's priority numbers: workers claim
 * higher numbers first, so a critical job waiting next to a low one always starts first.
 */
public enum JobPriority {
  /** {@link Priority#CRITICAL} (100): users wait for their weekly plan. */
  CRITICAL(Priority.CRITICAL),
  /** {@link Priority#HIGH} (75): keeping the food diary in sync. */
  HIGH(Priority.HIGH),
  /** {@link Priority#MEDIUM} (50): the daily advice. */
  MEDIUM(Priority.MEDIUM),
  /** {@link Priority#LOW} (25): weekly trend reports. */
  LOW(Priority.LOW);

  private final Priority priority;

  JobPriority(Priority priority) {
    this.priority = priority;
  }

  /** The scheduler's priority for this level. */
  public Priority toScheduler() {
    return priority;
  }
}
