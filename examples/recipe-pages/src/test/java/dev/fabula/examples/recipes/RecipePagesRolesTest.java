package dev.fabula.examples.recipes;

import static dev.fabula.examples.recipes.SampleKitchen.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.migration.ReadTarget;
import dev.fabula.testkit.postgres.ApplicationRoles;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The migration under least privilege: the owner migrates, owns the old app's tables and installs the
 * capture triggers (DDL); the application role backfills, applies the captured changes and builds the
 * pages by replay.
 */
class RecipePagesRolesTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();
  private static final Clock CLOCK = Clock.fixed(TODAY.atTime(7, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  private static final String PREFIX = "fabula_";

  @Test
  void builds_the_pages_by_replay_as_the_application_role() {
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
        app.startPages();
        app.awaitPages(Duration.ofSeconds(30));
        app.switchReads(ReadTarget.READ_MODEL);

        DashboardPage.View dashboard = app.dashboard();
        assertThat(List.of(dashboard.mealsPlannedThisWeek(), dashboard.mealsCookedThisWeek(), dashboard.recipesCookedThisWeek(),
            dashboard.activeRecipes(), dashboard.ratings())).containsExactly(7, 3, 3, 5, 11);
        assertThat(app.migration().checkParity()).allSatisfy(p -> assertThat(p.report().passed()).as(p.name()).isTrue());
      }
      roles.assertEventsCannotChange(PREFIX);
    }
  }
}
