package dev.fabula.examples.mealplanner;

import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.Schedule;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The four recurring jobs of the meal planner: their job type (which selects the handler), the
 * name of their schedule, their priority and when they run, in the planner's time zone.
 */
public enum PlannerJob {
  /** Generates next week's plan for every user, Friday at 06:00. */
  WEEKLY_PLAN("generate-weekly-plans", "weekly-plan-generation", JobPriority.CRITICAL, "Fridays 06:00"),
  /** Imports what users cooked or skipped from their food diary, every 2 hours (even hours, local). */
  AUTO_SYNC("sync-food-diary", "auto-sync", JobPriority.HIGH, "every 2 hours"),
  /** Gives each user advice for tomorrow, daily at 20:00. */
  DAILY_ADVISOR("daily-advice", "daily-advisor", JobPriority.MEDIUM, "daily 20:00"),
  /** Computes each user's cooking trends of the past week, Thursday at 20:00. */
  WEEKLY_TRENDS("weekly-trends", "weekly-trends", JobPriority.LOW, "Thursdays 20:00");

  private final String type;
  private final String scheduleName;
  private final JobPriority priority;
  private final String when;

  PlannerJob(String type, String scheduleName, JobPriority priority, String when) {
    this.type = type;
    this.scheduleName = scheduleName;
    this.priority = priority;
    this.when = when;
  }

  /** The job type registered with the queue. */
  public String type() {
    return type;
  }

  /** The name of the recurring schedule stored in the database. */
  public String scheduleName() {
    return scheduleName;
  }

  /** The priority of its jobs. */
  public JobPriority priority() {
    return priority;
  }

  /** When it runs, for people. */
  public String when() {
    return when;
  }

  /**
   * When it recurs in {@code zone}. Local times follow the zone's daylight-saving changes: a
   * local time that does not exist runs at the first valid instant after the gap, one that
   * happens twice runs once. The sync is a cron on even local hours (not an interval of real
   * time), so every local day has exactly 12 syncs, even the days the clocks change.
   */
  public Schedule schedule(ZoneId zone) {
    Schedule s = switch (this) {
      case WEEKLY_PLAN -> Schedule.weeklyAt(DayOfWeek.FRIDAY, LocalTime.of(6, 0));
      case AUTO_SYNC -> Schedule.cron("0 */2 * * *");
      case DAILY_ADVISOR -> Schedule.dailyAt(LocalTime.of(20, 0));
      case WEEKLY_TRENDS -> Schedule.weeklyAt(DayOfWeek.THURSDAY, LocalTime.of(20, 0));
    };
    return s.inZone(zone);
  }

  /** The job each occurrence enqueues: this type, at this priority. */
  public JobRequest request() {
    return JobRequest.of(type).withPriority(priority.toScheduler());
  }

  /** The job of a job type. */
  public static PlannerJob ofType(String type) {
    for (PlannerJob j : values()) {
      if (j.type.equals(type)) {
        return j;
      }
    }
    throw new IllegalArgumentException("no planner job has type '" + type + "'");
  }
}
