package dev.fabula.examples.mealplanner;

import static org.assertj.core.api.Assertions.assertThat;

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
      SimulatedClock clock = SimulatedClock.still(local("2025-03-06T23:00"));
      MealPlannerConfig config = MealPlannerConfig.DEFAULT.withZone(BERLIN).withClock(clock)
          .withPollInterval(Duration.ofMillis(10));
      MealPlanner.migrate(roles.ownerUrl(), config);
      roles.revokeEventChanges(config.tablePrefix());

      SimulatedFoodDiary diary = new SimulatedFoodDiary(clock).outage(local("2025-03-07T07:50"), local("2025-03-07T08:02"));
      try (MealPlanner planner = MealPlanner.open(roles.appUrl(), config, diary, JobObserver.NONE)) {
        planner.addRecipes(Recipes.sampleCatalogue());
        planner.start();
        new Simulation(planner, clock).runUntil(local("2025-03-07T11:00"));

        assertThat(planner.history(PlannerJob.WEEKLY_PLAN)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.SUCCEEDED);
        assertThat(planner.history(PlannerJob.AUTO_SYNC))
            .filteredOn(r -> local("2025-03-07T08:00").equals(r.scheduledFor()))
            .extracting(JobRun::trigger, JobRun::outcome)
            .startsWith(org.assertj.core.groups.Tuple.tuple(Trigger.SCHEDULED, JobRun.Outcome.FAILED))
            .endsWith(org.assertj.core.groups.Tuple.tuple(Trigger.RETRY, JobRun.Outcome.SUCCEEDED));
        assertThat(planner.rotation().recipes().values()).allSatisfy(ids -> assertThat(ids).isNotEmpty());
      }
      roles.assertEventsCannotChange(config.tablePrefix());
    }
  }

  private static Instant local(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
  }
}
