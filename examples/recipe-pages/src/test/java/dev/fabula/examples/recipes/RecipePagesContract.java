package dev.fabula.examples.recipes;

import static dev.fabula.examples.recipes.SampleKitchen.CAPRESE;
import static dev.fabula.examples.recipes.SampleKitchen.FRUITCAKE;
import static dev.fabula.examples.recipes.SampleKitchen.LASAGNA;
import static dev.fabula.examples.recipes.SampleKitchen.MISO_SOUP;
import static dev.fabula.examples.recipes.SampleKitchen.PAD_THAI;
import static dev.fabula.examples.recipes.SampleKitchen.SHAKSHUKA;
import static dev.fabula.examples.recipes.SampleKitchen.TODAY;
import static dev.fabula.examples.recipes.SampleKitchen.WEEK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.migration.ImportSummary;
import dev.fabula.migration.ParityReport;
import dev.fabula.migration.ReadSwitch;
import dev.fabula.migration.ReadTarget;
import dev.fabula.projections.Projection;
import dev.fabula.projections.TransactionalHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The story, end to end, written once and run on each backend by a subclass that supplies the
 * database: the old app's tables are backfilled and captured into events, five page models are built
 * by replay, and we check their exact content, rebuilds, parity (and its failure), the read switch,
 * and an update and a delete of the old app reaching every page.
 */
abstract class RecipePagesContract {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Clock CLOCK = Clock.fixed(TODAY.atTime(7, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

  private final List<RecipeApp> opened = new ArrayList<>();

  /** A JDBC URL of the backend's database; several apps may share it (each has its own prefix). */
  protected abstract String url();

  /** A fresh app with a table prefix of its own. */
  RecipeApp open() {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "_";
    RecipeApp.migrate(url(), prefix);
    RecipeApp app = RecipeApp.open(url(), prefix, CLOCK);
    opened.add(app);
    return app;
  }

  /** The old app seeded, capture installed, writes during and after the backfill, nothing built yet. */
  RecipeApp backfilled() {
    RecipeApp app = open();
    app.legacy().createTables();
    SampleKitchen.seed(app.legacy());
    app.migration().installCapture();
    SampleKitchen.writesDuringBackfill(app.legacy());
    app.migration().backfill();
    SampleKitchen.writesAfterBackfill(app.legacy());
    assertThat(app.migration().applyCapturedChanges()).isEqualTo(3);
    return app;
  }

  /** {@link #backfilled()}, then the five pages built by replay. */
  RecipeApp migrated() {
    RecipeApp app = backfilled();
    app.startPages();
    app.awaitPages(WAIT);
    return app;
  }

  @AfterEach
  void closeApps() {
    opened.forEach(RecipeApp::close);
    opened.clear();
  }

  // ---- the pages' exact content -----------------------------------------------------------------

  @Test
  void every_page_shows_the_expected_values_after_backfill_capture_and_replay() {
    RecipeApp app = migrated();
    app.switchReads(ReadTarget.READ_MODEL);

    DashboardPage.View dashboard = app.dashboard();
    assertThat(dashboard.today()).isEqualTo(TODAY);
    assertThat(dashboard.meals()).containsExactly(
        new DashboardPage.Meal("breakfast", "Shakshuka", 2, true, false),
        new DashboardPage.Meal("lunch", "Caprese salad", 2, false, false),
        new DashboardPage.Meal("dinner", "Lasagna", 4, false, false));
    assertThat(dashboard.prepTasks()).containsExactly("Prep Lasagna for dinner (45 min)");
    assertThat(List.of(dashboard.mealsPlannedThisWeek(), dashboard.mealsCookedThisWeek(), dashboard.recipesCookedThisWeek(),
        dashboard.activeRecipes(), dashboard.ratings())).containsExactly(7, 3, 3, 5, 11);
    assertThat(dashboard.averageRating()).isEqualTo(new BigDecimal("4.09")); // 45 stars / 11 ratings

    CalendarPage.Week week = app.calendar(TODAY);
    assertThat(week.weekStart()).isEqualTo(WEEK);
    assertThat(week.slots()).extracting(CalendarPage.Slot::date, CalendarPage.Slot::mealType,
        CalendarPage.Slot::recipeTitle, CalendarPage.Slot::servings, CalendarPage.Slot::cooked).containsExactly(
        tuple(WEEK, "dinner", "Lasagna", 4, true),
        tuple(WEEK.plusDays(1), "dinner", "Pad Thai", 2, true),
        tuple(TODAY, "breakfast", "Shakshuka", 2, true),
        tuple(TODAY, "lunch", "Caprese salad", 2, false),
        tuple(TODAY, "dinner", "Lasagna", 4, false),
        tuple(TODAY.plusDays(1), "dinner", "Miso soup", 2, false),
        tuple(WEEK.plusDays(5), "dinner", "Shakshuka", 3, false));
    assertThat(app.calendar(LocalDate.of(2025, 10, 24)).slots()).extracting(CalendarPage.Slot::recipeTitle)
        .containsExactly("Pad Thai");

    RecipeListPage.View list = app.recipeList(null);
    assertThat(list.cards()).extracting(RecipeListPage.Card::title, RecipeListPage.Card::timeBucket,
        RecipeListPage.Card::tags).containsExactly(
        tuple("Caprese salad", "under 20 min", List.of("quick", "vegetarian")),
        tuple("Lasagna", "over 45 min", List.of("comfort", "oven")),
        tuple("Miso soup", "under 20 min", List.of("quick", "vegan")),
        tuple("Pad Thai", "20-45 min", List.of("noodles", "spicy")),   // tagged while the backfill ran
        tuple("Shakshuka", "20-45 min", List.of("brunch", "vegetarian")));
    assertThat(facets(list)).containsExactly(
        "cuisine:Italian=2", "cuisine:Japanese=1", "cuisine:Middle Eastern=1", "cuisine:Thai=1",
        "difficulty:easy=3", "difficulty:hard=1", "difficulty:medium=1",
        "tag:brunch=1", "tag:comfort=1", "tag:noodles=1", "tag:oven=1", "tag:quick=2", "tag:spicy=1", "tag:vegan=1",
        "tag:vegetarian=2",
        "time:20-45 min=2", "time:over 45 min=1", "time:under 20 min=2");
    assertFacetCountsMatchTheFilteredList(app);

    assertThat(ratings(app, SHAKSHUKA)).isEqualTo(new RecipeDetailPage.Ratings(3, new BigDecimal("4.33"), List.of(0, 0, 0, 2, 1)));
    assertThat(ratings(app, PAD_THAI)).isEqualTo(new RecipeDetailPage.Ratings(2, new BigDecimal("4"), List.of(0, 0, 1, 0, 1)));
    assertThat(ratings(app, LASAGNA)).isEqualTo(new RecipeDetailPage.Ratings(4, new BigDecimal("4"), List.of(0, 1, 0, 1, 2)));
    // dan's rating was written while the backfill ran: imported and captured, counted once
    assertThat(ratings(app, MISO_SOUP)).isEqualTo(new RecipeDetailPage.Ratings(1, new BigDecimal("4"), List.of(0, 0, 0, 1, 0)));
    RecipeDetailPage.View lasagna = app.recipeDetail(LASAGNA).orElseThrow();
    assertThat(lasagna.ingredients()).extracting(Ingredient::name).containsExactly("pasta sheets", "minced beef", "tomato", "cheese");
    assertThat(List.of(lasagna.cuisine(), lasagna.difficulty(), lasagna.prepMinutes(), lasagna.cookMinutes()))
        .containsExactly("Italian", "hard", 45, 60);
    assertThat(app.recipeDetail(FRUITCAKE)).as("deleted before the migration").isEmpty();

    assertThat(shopping(app)).containsExactly(
        "dairy: cheese 320 g", "dairy: egg 12 pc", "dairy: mozzarella 120 g",
        "pantry: coffee 250 g", "pantry: miso 40 g", "pantry: pasta sheets 480 g", "pantry: rice noodles 200 g",
        "produce: basil 10 g", "produce: onion 2.5 pc", "produce: tomato 1990 g",
        "protein: minced beef 1000 g", "protein: tofu 260 g");
    assertThat(app.shoppingList(TODAY).totals()).extracting(ShoppingListPage.CategoryTotal::category,
        ShoppingListPage.CategoryTotal::lines).containsExactly(
        tuple("dairy", 3), tuple("pantry", 4), tuple("produce", 3), tuple("protein", 2));
  }

  @Test
  void an_update_and_a_delete_by_the_old_app_reach_every_affected_page() {
    RecipeApp app = migrated();
    app.switchReads(ReadTarget.READ_MODEL);

    SampleKitchen.updateAndDelete(app.legacy());
    assertThat(app.migration().applyCapturedChanges()).isEqualTo(2);
    app.awaitPages(WAIT);

    RecipeListPage.View list = app.recipeList(null);
    assertThat(list.cards()).extracting(RecipeListPage.Card::title)
        .containsExactly("Caprese with burrata", "Miso soup", "Pad Thai", "Shakshuka");
    assertThat(facets(list)).containsExactly(
        "cuisine:Italian=1", "cuisine:Japanese=1", "cuisine:Middle Eastern=1", "cuisine:Thai=1",
        "difficulty:easy=3", "difficulty:medium=1",
        "tag:brunch=1", "tag:noodles=1", "tag:quick=2", "tag:spicy=1", "tag:vegan=1", "tag:vegetarian=2",
        "time:20-45 min=3", "time:under 20 min=1");
    assertFacetCountsMatchTheFilteredList(app);

    assertThat(shopping(app)).containsExactly(
        "dairy: burrata 200 g", "dairy: egg 12 pc",
        "pantry: coffee 250 g", "pantry: miso 40 g", "pantry: rice noodles 200 g",
        "produce: basil 10 g", "produce: onion 2.5 pc", "produce: tomato 1250 g",
        "protein: tofu 260 g");
    assertThat(app.shoppingList(TODAY).totals()).extracting(ShoppingListPage.CategoryTotal::category,
        ShoppingListPage.CategoryTotal::lines).containsExactly(
        tuple("dairy", 2), tuple("pantry", 3), tuple("produce", 3), tuple("protein", 1));

    assertThat(app.calendar(TODAY).slots()).extracting(CalendarPage.Slot::recipeTitle, CalendarPage.Slot::recipeDeleted)
        .containsExactly(tuple("Lasagna", true), tuple("Pad Thai", false), tuple("Shakshuka", false),
            tuple("Caprese with burrata", false), tuple("Lasagna", true), tuple("Miso soup", false),
            tuple("Shakshuka", false));

    DashboardPage.View dashboard = app.dashboard();
    assertThat(dashboard.meals()).extracting(DashboardPage.Meal::recipeTitle, DashboardPage.Meal::recipeDeleted)
        .containsExactly(tuple("Shakshuka", false), tuple("Caprese with burrata", false), tuple("Lasagna", true));
    assertThat(dashboard.prepTasks()).isEmpty();
    assertThat(List.of(dashboard.activeRecipes(), dashboard.ratings())).containsExactly(4, 7);
    assertThat(dashboard.averageRating()).isEqualTo(new BigDecimal("4.14")); // 29 stars / 7 ratings

    assertThat(app.recipeDetail(LASAGNA)).isEmpty();
    RecipeDetailPage.View caprese = app.recipeDetail(CAPRESE).orElseThrow();
    assertThat(List.of(caprese.title(), caprese.prepMinutes(), caprese.cookMinutes()))
        .containsExactly("Caprese with burrata", 15, 10);
    assertThat(caprese.ingredients()).extracting(Ingredient::name).containsExactly("tomato", "burrata", "basil");

    assertThat(app.migration().checkParity()).allSatisfy(p -> assertThat(p.report().passed()).as(p.report().describe()).isTrue());
  }

  // ---- backfill ---------------------------------------------------------------------------------

  @Test
  void the_backfill_has_deterministic_event_ids_and_a_rerun_writes_nothing() {
    List<List<UUID>> idsPerApp = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      RecipeApp app = open();
      app.legacy().createTables();
      SampleKitchen.seed(app.legacy());
      List<ImportSummary> first = app.migration().backfill();
      assertThat(first).extracting(ImportSummary::name, ImportSummary::rowsRead, ImportSummary::eventsWritten)
          .containsExactly(tuple("legacy-recipes", 6L, 7L), tuple("legacy-ratings", 11L, 11L),
              tuple("legacy-meal-plans", 8L, 11L), tuple("legacy-shopping-items", 2L, 2L));
      long head = app.store().headPosition();

      List<ImportSummary> again = app.migration().backfill();
      assertThat(again).extracting(ImportSummary::eventsWritten).containsOnly(0L);
      assertThat(again).extracting(ImportSummary::rowsSkipped).containsExactly(6L, 11L, 8L, 2L);
      assertThat(app.store().headPosition()).isEqualTo(head);
      try (Stream<RecordedEvent> log = app.store().readAll(LogQuery.all())) {
        idsPerApp.add(log.map(RecordedEvent::eventId).toList());
      }
    }
    assertThat(idsPerApp.get(0)).hasSize(31).isEqualTo(idsPerApp.get(1));
  }

  @Test
  void the_migration_reads_the_old_tables_but_never_changes_them() {
    RecipeApp app = open();
    app.legacy().createTables();
    SampleKitchen.seed(app.legacy());
    var before = app.legacy().snapshot();
    assertThat(before.get("recipes")).hasSize(6);

    app.migration().installCapture();
    app.migration().backfill();
    app.legacy().cookMeal(SampleKitchen.TODAYS_BREAKFAST); // the old app's own write, captured
    assertThat(app.migration().pendingChanges()).isEqualTo(1);
    assertThat(app.migration().applyCapturedChanges()).isEqualTo(1);
    assertThat(app.migration().pendingChanges()).isZero();
    app.legacy().execute("UPDATE {p}meal_plans SET cooked = 0 WHERE id = ?", SampleKitchen.TODAYS_BREAKFAST);
    app.migration().applyCapturedChanges();
    app.migration().removeCapture();

    assertThat(app.legacy().snapshot()).isEqualTo(before);
  }

  // ---- rebuild ----------------------------------------------------------------------------------

  @Test
  void rebuilding_every_page_from_scratch_gives_identical_tables() throws Exception {
    RecipeApp app = backfilled();
    SampleKitchen.updateAndDelete(app.legacy());
    app.migration().applyCapturedChanges();
    List<Probe> probes = RecipeApp.pageProjections(app.tables()).stream().map(Probe::new).toList();
    app.startPages(probes.stream().map(Probe::projection).toList());
    app.awaitPages(WAIT);
    Map<String, List<String>> before = pageTables(app);
    assertThat(before.get("list_recipes")).hasSize(4);

    for (Probe probe : probes) {
      app.projections().rebuild(probe.projection().id());
    }
    for (Probe probe : probes) {
      assertThat(probe.replayed.await(30, TimeUnit.SECONDS)).as(probe.projection().name() + " replayed").isTrue();
    }
    app.awaitPages(WAIT);

    assertThat(pageTables(app)).isEqualTo(before);
  }

  /**
   * A page projection that tells when it has started replaying after its reset: the reset hook
   * sets a flag in the reset transaction, and the first batch applied after it (a later transaction
   * of the same thread, so the reset has committed) counts the latch down.
   */
  static final class Probe {
    final AtomicBoolean reset = new AtomicBoolean();
    final CountDownLatch replayed = new CountDownLatch(1);
    private final Projection projection;

    Probe(Projection page) {
      TransactionalHandler handler = (TransactionalHandler) page.handler();
      this.projection = Projection.transactional(page.name(), (h, events) -> {
            handler.apply(h, events);
            if (reset.get()) {
              replayed.countDown();
            }
          })
          .withFilter(page.filter()).withVersion(page.version()).withBatchSize(page.batchSize())
          .withFailurePolicy(page.failurePolicy())
          .withReset(h -> {
            page.reset().reset(h);
            reset.set(true);
          });
    }

    Projection projection() {
      return projection;
    }
  }

  // ---- parity -----------------------------------------------------------------------------------

  @Test
  void parity_passes_and_fails_naming_the_key_of_a_deliberately_corrupted_row() {
    RecipeApp app = migrated();
    Map<String, ParityReport> reports = parity(app);
    assertThat(reports.keySet()).containsExactly("recipe list vs recipes", "list facets vs recipes",
        "detail ratings vs ratings", "calendar vs meal_plans");
    reports.values().forEach(r -> assertThat(r.passed()).as(r.describe()).isTrue());
    assertThat(reports.get("detail ratings vs ratings").legacyRows()).isEqualTo(6);

    Tables t = app.tables();
    app.store().jdbi().useHandle(h -> {
      h.execute(t.sql("UPDATE {p}detail_rating_summary SET average = 1.5 WHERE recipe_id = ?"), LASAGNA);
      h.execute(t.sql("DELETE FROM {p}list_recipes WHERE recipe_id = ?"), MISO_SOUP);
    });
    reports = parity(app);

    ParityReport ratings = reports.get("detail ratings vs ratings");
    assertThat(ratings.passed()).isFalse();
    assertThat(ratings.different()).isEqualTo(1);
    assertThat(ratings.differentExamples()).singleElement().satisfies(d -> {
      assertThat(d.key()).isEqualTo("3");
      assertThat(d.columns()).containsOnlyKeys("average");
    });
    assertThat(ratings.describe()).contains("key 3");

    ParityReport list = reports.get("recipe list vs recipes");
    assertThat(list.passed()).isFalse();
    assertThat(list.missing()).isEqualTo(1);
    assertThat(list.missingExamples()).containsExactly("5");
    assertThat(reports.get("calendar vs meal_plans").passed()).isTrue();
  }

  // ---- read switch ------------------------------------------------------------------------------

  @Test
  void the_read_switch_sends_reads_to_the_page_models_and_back() {
    RecipeApp app = migrated();
    assertThat(app.readTarget()).as("an unset switch reads the old tables").isEqualTo(ReadTarget.LEGACY);
    RecipeListPage.View legacyList = app.recipeList(null);
    RecipeDetailPage.View legacyDetail = app.recipeDetail(SHAKSHUKA).orElseThrow();
    CalendarPage.Week legacyWeek = app.calendar(TODAY);
    app.switchReads(ReadTarget.READ_MODEL);
    assertThat(app.recipeList(null)).as("users see the same page from either side").isEqualTo(legacyList);
    assertThat(app.recipeDetail(SHAKSHUKA)).contains(legacyDetail);
    assertThat(app.calendar(TODAY)).isEqualTo(legacyWeek);

    // Mark the page models so that we can tell where a read went.
    Tables t = app.tables();
    app.store().jdbi().useHandle(h -> {
      h.execute(t.sql("UPDATE {p}list_recipes SET title = 'Pad Thai (page)' WHERE recipe_id = ?"), PAD_THAI);
      h.execute(t.sql("UPDATE {p}detail_recipes SET title = 'Shakshuka (page)' WHERE recipe_id = ?"), SHAKSHUKA);
      h.execute(t.sql("UPDATE {p}cal_slots SET recipe_title = 'Miso soup (page)' WHERE recipe_id = ?"), MISO_SOUP);
    });
    assertThat(app.recipeList(null).cards()).extracting(RecipeListPage.Card::title).contains("Pad Thai (page)");
    assertThat(app.recipeDetail(SHAKSHUKA).orElseThrow().title()).isEqualTo("Shakshuka (page)");
    assertThat(app.calendar(TODAY).slots()).extracting(CalendarPage.Slot::recipeTitle).contains("Miso soup (page)");
    assertThat(ReadSwitch.open(app.store(), RecipeListPage.NAME, Duration.ZERO).target())
        .as("another process sees the flip").isEqualTo(ReadTarget.READ_MODEL);

    app.switchReads(ReadTarget.LEGACY);
    assertThat(app.recipeList(null)).isEqualTo(legacyList);
    assertThat(app.recipeDetail(SHAKSHUKA)).contains(legacyDetail);
    assertThat(app.calendar(TODAY)).isEqualTo(legacyWeek);
    assertThat(ReadSwitch.open(app.store(), RecipeDetailPage.NAME, Duration.ZERO).target()).isEqualTo(ReadTarget.LEGACY);
  }

  // ---- the tour ---------------------------------------------------------------------------------

  /** Runs the tour on {@code url} (an empty database) and returns what it printed. */
  static String tour(String url) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Tour.run(url, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static void assertTourOutput(String printed) {
    assertThat(printed)
        .contains("legacy-recipes          6 rows ->  7 events")
        .contains("Run again: 28 rows read, 0 events written")
        .contains("3 captured changes became events")
        .contains("recipe list vs recipes       5 rows vs  5  PASSED")
        .contains("detail ratings vs ratings    6 rows vs  6  PASSED")
        .contains("calendar vs meal_plans       8 rows vs  8  PASSED")
        .contains("now read READ_MODEL")
        .contains("to do: Prep Lasagna for dinner (45 min)")
        .contains("5 recipes, 11 ratings, average 4.09")
        .contains("cuisine: Italian 2 | Japanese 1 | Middle Eastern 1 | Thai 1")
        .contains("Lasagna (Italian, hard, 45+60 min): 4 ratings, average 4, 1-5 stars [0, 1, 0, 1, 2]")
        .contains("produce  (3): basil 10 g, onion 2.5 pc, tomato 1990 g")
        .contains("list: 4 recipes, Italian 1, hard 0, over 45 min 0; calendar Wed lunch: Caprese with burrata")
        .contains("shopping: 9 lines (dairy 2, pantry 3, produce 3, protein 1), tomato 1250 g")
        .contains("Parity after the changes: all 4 checks PASSED")
        .contains("ReadSwitch set to LEGACY; the list now comes from the old tables (4 recipes), identical to the page model's")
        .doesNotContain("FAILED");
    assertThat(printed.lines().count()).isBetween(20L, 60L);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  static List<String> facets(RecipeListPage.View list) {
    return list.facets().stream().map(f -> f.facet() + ":" + f.value() + "=" + f.recipes()).toList();
  }

  /** Every count shown next to a facet value equals the number of cards that filtering by it shows. */
  static void assertFacetCountsMatchTheFilteredList(RecipeApp app) {
    RecipeListPage.View all = app.recipeList(null);
    assertThat(all.facets()).isNotEmpty();
    for (RecipeListPage.FacetCount f : all.facets()) {
      assertThat(app.recipeList(new RecipeListPage.Filter(f.facet(), f.value())).cards())
          .as(f.facet() + " = " + f.value()).hasSize(f.recipes());
    }
  }

  static RecipeDetailPage.Ratings ratings(RecipeApp app, long recipeId) {
    return app.recipeDetail(recipeId).orElseThrow().ratings();
  }

  static List<String> shopping(RecipeApp app) {
    return app.shoppingList(TODAY).lines().stream()
        .map(l -> l.category() + ": " + l.item() + " " + l.quantity().toPlainString() + " " + l.unit()).toList();
  }

  static Map<String, ParityReport> parity(RecipeApp app) {
    Map<String, ParityReport> out = new LinkedHashMap<>();
    app.migration().checkParity().forEach(p -> out.put(p.name(), p.report()));
    return out;
  }

  /** Every page table's rows, as sorted text, by table name. */
  static Map<String, List<String>> pageTables(RecipeApp app) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (List<String> tables : List.of(DashboardPage.TABLES, CalendarPage.TABLES, RecipeListPage.TABLES,
        RecipeDetailPage.TABLES, ShoppingListPage.TABLES)) {
      for (String table : tables) {
        out.put(table, app.store().jdbi().withHandle(h -> h.createQuery("SELECT * FROM " + app.tables().table(table))
            .mapToMap().list()).stream().map(Object::toString).sorted(Comparator.naturalOrder()).toList());
      }
    }
    return out;
  }
}
