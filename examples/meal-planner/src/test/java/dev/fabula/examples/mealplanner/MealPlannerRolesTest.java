package dev.fabula.examples.mealplanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.Trigger;
import dev.fabula.testkit.postgres.ApplicationRoles;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The planner under least privilege: the owner migrates, the application role runs the schedules with retries. */
class MealPlannerRolesTest {
  @RegisterExtension static PostgresExtension pg = new PostgresExtension();
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void runs_its_schedules_with_retries_as_the_application_role() {
    try (ApplicationRoles roles = ApplicationRoles.create(pg.database())) {
      SimulatedClock clock = SimulatedClock.still(local("2025-03-07T05:00"));
      MealPlannerConfig config = MealPlannerConfig.DEFAULT.withZone(BERLIN).withClock(clock)
          .withPollInterval(Duration.ofMillis(10));
      MealPlanner.migrate(roles.ownerUrl(), config);
      roles.revokeEventChanges(config.tablePrefix());

      SimulatedFoodDiary diary = new SimulatedFoodDiary(clock).outage(local("2025-03-11T09:50"), local("2025-03-11T10:30"));
      try (MealPlanner planner = MealPlanner.open(roles.appUrl(), config, diary, JobObserver.NONE)) {
        planner.addRecipes(Recipes.sampleCatalogue());
        planner.start();
        new Simulation(planner, clock).runUntil(local("2025-03-11T13:00"));

        assertThat(planner.history(PlannerJob.WEEKLY_PLAN)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.SUCCEEDED);
        assertThat(planner.history(PlannerJob.AUTO_SYNC))
            .filteredOn(r -> local("2025-03-11T10:00").equals(r.scheduledFor()))
            .extracting(JobRun::attempt, JobRun::trigger, JobRun::outcome)
            .containsExactly(tuple(1, Trigger.SCHEDULED, JobRun.Outcome.FAILED), tuple(2, Trigger.RETRY, JobRun.Outcome.FAILED),
                tuple(3, Trigger.RETRY, JobRun.Outcome.FAILED), tuple(4, Trigger.RETRY, JobRun.Outcome.FAILED));
        assertThat(planner.history(PlannerJob.AUTO_SYNC))
            .filteredOn(r -> local("2025-03-11T12:00").equals(r.scheduledFor()))
            .extracting(JobRun::outcome).containsExactly(JobRun.Outcome.SUCCEEDED);
        assertThat(planner.rotation().recipes().values()).allSatisfy(ids -> assertThat(ids).isNotEmpty());
      }
      roles.assertEventsCannotChange(config.tablePrefix());
    }
  }

  private static Instant local(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
  }
}
