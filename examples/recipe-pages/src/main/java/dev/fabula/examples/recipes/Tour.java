package dev.fabula.examples.recipes;

import dev.fabula.migration.ImportSummary;
import dev.fabula.migration.ReadTarget;
import dev.fabula.projections.ProjectionStatus;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The story in a few seconds: an old recipe app with domain-centric tables moves to page-specific
 * read models without downtime. Seeds the old tables, installs change capture, backfills events,
 * builds five page models by replaying the log, checks parity with the old tables, switches reads
 * and back, and shows an update and a delete of the old app reaching every page.
 */
public final class Tour {

  /** The table prefix the tour uses. */
  public static final String PREFIX = "kitchen_";

  private static final Duration WAIT = Duration.ofSeconds(30);

  private Tour() {}

  /**
   * Plays the tour on {@code jdbcUrl} (an empty database) and tells what happened on {@code out}.
   * Closes everything it opens.
   *
   * @throws IllegalStateException if the database already holds the tour's tables
   */
  public static void run(String jdbcUrl, PrintStream out) {
    run(jdbcUrl, out, (app, story) -> story.run());
  }

  /**
   * Plays the tour as {@link #run(String, PrintStream)} does, but hands the open app and the story
   * to {@code around}, which runs the story (once) and may do more before and after it while the
   * app is open: {@link Main} serves the admin console and the meters there.
   *
   * @throws IllegalStateException if the database already holds the tour's tables
   */
  public static void run(String jdbcUrl, PrintStream out, BiConsumer<RecipeApp, Runnable> around) {
    Clock clock = Clock.fixed(SampleKitchen.TODAY.atTime(7, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    RecipeApp.migrate(jdbcUrl, PREFIX);
    try (RecipeApp app = RecipeApp.open(jdbcUrl, PREFIX, clock)) {
      around.accept(app, () -> play(app, out));
    }
  }

  private static void play(RecipeApp app, PrintStream out) {
    LegacyApp old = app.legacy();
    if (old.tablesExist()) {
      throw new IllegalStateException("the tour needs an empty database, but " + PREFIX
          + "recipes exists already; use a fresh database");
    }
    Migration migration = app.migration();
    out.println("== Recipe pages: from domain tables to page-specific read models, without downtime ==");
    out.println("(tables prefixed '" + PREFIX + "'; the tour pretends today is " + day(SampleKitchen.TODAY) + ")");

    old.createTables();
    SampleKitchen.seed(old);
    out.printf("1. The old app owns its tables: %s.%n", Migration.LEGACY_TABLES.stream()
        .map(table -> table + " (" + old.count(table) + " rows)").collect(Collectors.joining(", ")));

    migration.installCapture();
    SampleKitchen.writesDuringBackfill(old);
    out.println("2. Capture triggers installed; the old app keeps writing (dan rates Miso soup, Pad Thai gets"
        + " 'spicy'): " + migration.pendingChanges() + " changes captured.");

    out.println("3. Backfill with the migration module's Importer (event ids derived from the rows):");
    long rows = 0;
    for (ImportSummary s : migration.backfill()) {
      out.printf("   %-22s %2d rows -> %2d events%n", s.name(), s.rowsRead(), s.eventsWritten());
      rows += s.rowsRead();
    }
    long head = app.store().headPosition();
    List<ImportSummary> again = migration.backfill();
    out.printf("   Run again: %d rows read, %d events written, head still %d (a rerun writes nothing).%n",
        again.stream().mapToLong(ImportSummary::rowsRead).sum(),
        again.stream().mapToLong(ImportSummary::eventsWritten).sum(), app.store().headPosition());

    SampleKitchen.writesAfterBackfill(old);
    long applied = migration.applyCapturedChanges();
    out.printf("4. The old app cooks today's breakfast. %d captured changes became events, after the backfill "
        + "(log head %d -> %d).%n", applied, head, app.store().headPosition());

    app.startPages();
    app.awaitPages(WAIT);
    out.println("5. Five page projections replayed the log from position 0, each at its own checkpoint:");
    out.println("   " + app.projections().statuses().stream()
        .map((ProjectionStatus s) -> s.id().name() + " @" + s.checkpoint()).sorted().collect(Collectors.joining(", ")));

    out.println("6. Parity (ParityCheck, old tables vs page models):");
    for (Migration.Parity p : migration.checkParity()) {
      out.printf("   %-27s %2d rows vs %2d  %s%n", p.name(), p.report().legacyRows(), p.report().readModelRows(),
          p.report().passed() ? "PASSED" : "FAILED\n" + p.report().describe());
    }

    app.switchReads(ReadTarget.READ_MODEL);
    out.println("7. ReadSwitch flipped: recipe list, detail and calendar now read " + app.readTarget() + ".");
    printPages(app, out);

    SampleKitchen.updateAndDelete(old);
    long changes = migration.applyCapturedChanges();
    app.awaitPages(WAIT);
    RecipeListPage.View list = app.recipeList(null);
    ShoppingListPage.View shopping = app.shoppingList(SampleKitchen.TODAY);
    DashboardPage.View dashboard = app.dashboard();
    out.printf("8. The old app renames Caprese salad and deletes Lasagna: %d changes -> events -> every page:%n", changes);
    out.printf("   list: %d recipes, Italian %d, hard %d, over 45 min %d; calendar Wed lunch: %s%n",
        list.cards().size(), list.count("cuisine", "Italian"), list.count("difficulty", "hard"),
        list.count("time", "over 45 min"), app.calendar(SampleKitchen.TODAY).slots().get(3).recipeTitle());
    out.printf("   shopping: %d lines (%s), tomato %s g; dashboard: %d recipes, average %s, %d prep tasks%n",
        shopping.lines().size(), totals(shopping), quantity(shopping, "tomato"), dashboard.activeRecipes(),
        dashboard.averageRating().toPlainString(), dashboard.prepTasks().size());
    boolean allPassed = migration.checkParity().stream().allMatch(p -> p.report().passed());
    out.println("   Parity after the changes: " + (allPassed ? "all 4 checks PASSED" : "FAILED"));

    app.switchReads(ReadTarget.LEGACY);
    RecipeListPage.View legacyList = app.recipeList(null);
    out.printf("9. The way back: ReadSwitch set to %s; the list now comes from the old tables (%d recipes), "
        + "%s.%n", app.readTarget(), legacyList.cards().size(),
        legacyList.equals(list) ? "identical to the page model's" : "DIFFERENT from the page model's");
    out.println("Done. The migration never modified the old tables; both models stay in step until the old "
        + "ones are retired.");
  }

  private static void printPages(RecipeApp app, PrintStream out) {
    DashboardPage.View d = app.dashboard();
    out.println("   -- Dashboard, " + day(d.today()) + " --");
    for (DashboardPage.Meal m : d.meals()) {
      out.printf("   %-9s %s x%d%s%n", m.mealType(), m.recipeTitle(), m.servings(), m.cooked() ? " (cooked)" : "");
    }
    d.prepTasks().forEach(task -> out.println("   to do: " + task));
    out.printf("   this week: %d meals planned, %d cooked, %d recipes cooked | %d recipes, %d ratings, average %s%n",
        d.mealsPlannedThisWeek(), d.mealsCookedThisWeek(), d.recipesCookedThisWeek(), d.activeRecipes(), d.ratings(),
        d.averageRating().toPlainString());

    CalendarPage.Week week = app.calendar(SampleKitchen.TODAY);
    out.printf("   -- Calendar, week of %s --   %-16s %-16s %s%n", week.weekStart(), "breakfast", "lunch", "dinner");
    for (int i = 0; i < 7; i++) {
      LocalDate date = week.weekStart().plusDays(i);
      Map<String, String> byType = week.slots().stream().filter(s -> s.date().equals(date))
          .collect(Collectors.toMap(CalendarPage.Slot::mealType, s -> s.recipeTitle() + (s.cooked() ? " *" : "")));
      out.printf("   %-35s %-16s %-16s %s%n", day(date), byType.getOrDefault("breakfast", "-"),
          byType.getOrDefault("lunch", "-"), byType.getOrDefault("dinner", "-"));
    }

    RecipeListPage.View list = app.recipeList(null);
    out.println("   -- Recipe list, " + list.cards().size() + " recipes --");
    for (RecipeListPage.Card c : list.cards()) {
      out.printf("   %-15s %-15s %-7s %-13s %s%n", c.title(), c.cuisine(), c.difficulty(), c.timeBucket(),
          String.join(", ", c.tags()));
    }
    for (String facet : RecipeListPage.FACETS) {
      out.println("   " + facet + ": " + list.facets().stream().filter(f -> f.facet().equals(facet))
          .map(f -> f.value() + " " + f.recipes()).collect(Collectors.joining(" | ")));
    }

    app.recipeDetail(SampleKitchen.LASAGNA).ifPresent(r -> out.printf(
        "   -- Recipe detail: %s (%s, %s, %d+%d min): %d ratings, average %s, 1-5 stars %s%n", r.title(), r.cuisine(),
        r.difficulty(), r.prepMinutes(), r.cookMinutes(), r.ratings().count(), r.ratings().average().toPlainString(),
        r.ratings().distribution()));

    ShoppingListPage.View shopping = app.shoppingList(SampleKitchen.TODAY);
    out.println("   -- Shopping list, week of " + shopping.weekStart() + " --");
    for (ShoppingListPage.CategoryTotal total : shopping.totals()) {
      out.printf("   %-8s (%d): %s%n", total.category(), total.lines(), shopping.lines().stream()
          .filter(l -> l.category().equals(total.category()))
          .map(l -> l.item() + " " + l.quantity().toPlainString() + " " + l.unit()).collect(Collectors.joining(", ")));
    }
  }

  private static String totals(ShoppingListPage.View shopping) {
    return shopping.totals().stream().map(t -> t.category() + " " + t.lines()).collect(Collectors.joining(", "));
  }

  private static String quantity(ShoppingListPage.View shopping, String item) {
    return shopping.lines().stream().filter(l -> l.item().equals(item)).map(l -> l.quantity().toPlainString())
        .findFirst().orElse("0");
  }

  private static String day(LocalDate date) {
    return date.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + date;
  }
}
