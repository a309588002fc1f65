package dev.fabula.examples.recipes;

import static dev.fabula.examples.recipes.SampleKitchen.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.migration.ReadTarget;
import dev.fabula.testkit.postgres.ApplicationRoles;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import dev.fabula.examples.recipes.RecipePagesContract.Probe;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The migration under least privilege: the owner migrates, owns the old app's tables and installs the
 * capture triggers (DDL); the application role backfills, applies the captured changes builds the
 * pages by replay and rebuilds them.
 */
class RecipePagesRolesTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();
  private static final Clock CLOCK = Clock.fixed(TODAY.atTime(7, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  private static final String PREFIX = "fabula_";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void builds_and_rebuilds_the_pages_by_replay_as_the_application_role() throws InterruptedException {
    try (ApplicationRoles roles = ApplicationRoles.create(postgres.database())) {
      RecipeApp.migrate(roles.ownerUrl(), PREFIX);
      try (RecipeApp owner = RecipeApp.open(roles.ownerUrl(), PREFIX, CLOCK)) {
        owner.legacy().createTables();
        SampleKitchen.seed(owner.legacy());
        owner.migration().installCapture();
      }
      roles.revokeEventChanges(PREFIX);

      try (RecipeApp app = RecipeApp.open(roles.appUrl(), PREFIX, CLOCK)) {
        SampleKitchen.writesDuringBackfill(app.legacy());
        app.migration().backfill();
        SampleKitchen.writesAfterBackfill(app.legacy());
        assertThat(app.migration().applyCapturedChanges()).isEqualTo(3);
        List<Probe> probes = RecipeApp.pageProjections(app.tables()).stream().map(Probe::new).toList();
        app.startPages(probes.stream().map(Probe::projection).toList());
        app.awaitPages(WAIT);
        app.switchReads(ReadTarget.READ_MODEL);

        DashboardPage.View dashboard = app.dashboard();
        assertThat(List.of(dashboard.mealsPlannedThisWeek(), dashboard.mealsCookedThisWeek(), dashboard.recipesCookedThisWeek(),
            dashboard.activeRecipes(), dashboard.ratings())).containsExactly(7, 3, 3, 5, 11);
        assertThat(app.migration().checkParity()).allSatisfy(p -> assertThat(p.report().passed()).as(p.name()).isTrue());

        // A page model damaged by hand is rebuilt by replay: reset hooks and checkpoints need only row privileges.
        Map<String, List<String>> built = RecipePagesContract.pageTables(app);
        app.store().jdbi().useHandle(h -> h.execute(app.tables().sql("DELETE FROM {p}list_recipes")));
        for (Probe probe : probes) {
          app.projections().rebuild(probe.projection().id());
        }
        for (Probe probe : probes) {
          assertThat(probe.replayed.await(30, TimeUnit.SECONDS)).as(probe.projection().name() + " replayed").isTrue();
        }
        app.awaitPages(WAIT);
        assertThat(RecipePagesContract.pageTables(app)).isEqualTo(built);
      }
      roles.assertEventsCannotChange(PREFIX);
    }
  }
}
