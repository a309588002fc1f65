package dev.fabula.examples.mealplanner;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * How the meal planner runs. Immutable; start from {@link #DEFAULT}.
 *
 * @param zone the time zone of every schedule and of the users' days
 * @param users the users to plan for
 * @param cooldownDays the rotation rule: days before a recipe may return for a user and meal type
 * @param maxConcurrentJobs the most jobs running at once, across every process (stored in the database)
 * @param workerThreads the worker pool's threads in this process (more than the limit: the limit binds)
 * @param tablePrefix the prefix of every table (event store, scheduler, projections, read model)
 * @param clock the clock of the store and the scheduler
 * @param pollInterval how often idle workers look for due jobs (schedules come due without a signal)
 * @param durableCommits true (the default) for the store's durable settings; false lets a SQLite
 *     file commit without waiting for the disk ({@code synchronous=NORMAL} in WAL mode: a crash
 *     may lose the last commits but never corrupts the file), which makes simulations of weeks
 *     several times faster. No effect on PostgreSQL
 */
public record MealPlannerConfig(
    ZoneId zone,
    List<String> users,
    int cooldownDays,
    int maxConcurrentJobs,
    int workerThreads,
    String tablePrefix,
    Clock clock,
    Duration pollInterval,
    boolean durableCommits) {

  /** Europe/Berlin, users ada and ben, 30 days of cooldown, 5 jobs at once, 8 threads, system clock, durable commits. */
  public static final MealPlannerConfig DEFAULT = new MealPlannerConfig(ZoneId.of("Europe/Berlin"),
      List.of("ada", "ben"), 30, 5, 8, "meals_", Clock.systemUTC(), Duration.ofMillis(500), true);

  /** Validates the values. */
  public MealPlannerConfig {
    if (zone == null || users == null || users.isEmpty() || clock == null || pollInterval == null || tablePrefix == null) {
      throw new IllegalArgumentException("zone, users (at least one), table prefix, clock and poll interval are required");
    }
    users = List.copyOf(users);
    for (String u : users) {
      if (!u.matches("[a-z0-9]{1,40}")) {
        throw new IllegalArgumentException("user id '" + u + "' must be 1 to 40 lower-case letters or digits");
      }
    }
    if (cooldownDays < 1 || maxConcurrentJobs < 1 || workerThreads < 1) {
      throw new IllegalArgumentException("cooldownDays (" + cooldownDays + "), maxConcurrentJobs (" + maxConcurrentJobs
          + ") and workerThreads (" + workerThreads + ") must be 1 or more");
    }
  }

  /** Returns a copy with durable commits on or off (see {@link #durableCommits()}). */
  public MealPlannerConfig withDurableCommits(boolean value) {
    return new MealPlannerConfig(zone, users, cooldownDays, maxConcurrentJobs, workerThreads, tablePrefix, clock, pollInterval, value);
  }

  /** Returns a copy in another time zone. */
  public MealPlannerConfig withZone(ZoneId value) {
    return new MealPlannerConfig(value, users, cooldownDays, maxConcurrentJobs, workerThreads, tablePrefix, clock, pollInterval, durableCommits);
  }

  /** Returns a copy with other users. */
  public MealPlannerConfig withUsers(List<String> value) {
    return new MealPlannerConfig(zone, value, cooldownDays, maxConcurrentJobs, workerThreads, tablePrefix, clock, pollInterval, durableCommits);
  }

  /** Returns a copy with another table prefix. */
  public MealPlannerConfig withTablePrefix(String value) {
    return new MealPlannerConfig(zone, users, cooldownDays, maxConcurrentJobs, workerThreads, value, clock, pollInterval, durableCommits);
  }

  /** Returns a copy with another clock. */
  public MealPlannerConfig withClock(Clock value) {
    return new MealPlannerConfig(zone, users, cooldownDays, maxConcurrentJobs, workerThreads, tablePrefix, value, pollInterval, durableCommits);
  }

  /** Returns a copy with another poll interval. */
  public MealPlannerConfig withPollInterval(Duration value) {
    return new MealPlannerConfig(zone, users, cooldownDays, maxConcurrentJobs, workerThreads, tablePrefix, clock, value, durableCommits);
  }
}
