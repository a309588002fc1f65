package dev.fabula.examples.recipes;

import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.ReadSwitch;
import dev.fabula.migration.ReadTarget;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The recipe app during its migration: the old app ({@link #legacy()}) keeps serving and writing
 * its tables, {@link #migration()} moves them into events, five projections keep the page-specific
 * read models in the same database, and three {@link ReadSwitch}es decide, per page that exists in
 * both worlds (recipe list, recipe detail, calendar), whether reads go to the old tables or to the
 * page models. The dashboard and the shopping list are new pages, served from their models only.
 *
 * <pre>{@code
 * try (RecipeApp app = RecipeApp.open("jdbc:sqlite:kitchen.db", "kitchen_", Clock.systemUTC())) {
 *   app.migration().installCapture();
 *   app.migration().backfill();
 *   app.migration().applyCapturedChanges();
 *   app.startPages();
 *   app.awaitPages(Duration.ofSeconds(30));
 *   app.switchReads(ReadTarget.READ_MODEL);
 *   RecipeListPage.View list = app.recipeList(null);
 * }
 * }</pre>
 *
 * <p>Thread-safe for reads; {@link #startPages} and {@link #close} are called once.
 */
public final class RecipeApp implements AutoCloseable {

  /** The event types of the app. */
  public static final EventTypes TYPES = EventTypes.builder().register(KitchenEvent.class).build();

  /** The names of the read switches, one per page that the old app also serves. */
  public static final List<String> SWITCHED_PAGES = List.of(RecipeListPage.NAME, RecipeDetailPage.NAME, CalendarPage.NAME);

  private final JdbcEventStore store;
  private final Tables t;
  private final Clock clock;
  private final LegacyApp legacy;
  private final Migration migration;
  private final Projections projections;
  private final ReadSwitch listSwitch;
  private final ReadSwitch detailSwitch;
  private final ReadSwitch calendarSwitch;
  private @Nullable ProjectionRunner runner;
  private List<Projection> running = List.of();

  private RecipeApp(JdbcEventStore store, Tables t, Clock clock) {
    this.store = store;
    this.t = t;
    this.clock = clock;
    this.legacy = new LegacyApp(store, t, clock);
    this.migration = new Migration(store, t);
    this.projections = Projections.open(store);
    this.listSwitch = ReadSwitch.open(store, RecipeListPage.NAME, Duration.ofSeconds(1));
    this.detailSwitch = ReadSwitch.open(store, RecipeDetailPage.NAME, Duration.ofSeconds(1));
    this.calendarSwitch = ReadSwitch.open(store, CalendarPage.NAME, Duration.ofSeconds(1));
  }

  /**
   * Creates or upgrades the app's tables: the event store's (with the projections' and the migration
   * toolkit's) and the page models'. Run it once per release, before {@link #open}, as a role that may
   * run DDL (the schema owner on PostgreSQL); the app itself then needs only row privileges. Safe to
   * run again.
   */
  public static void migrate(String jdbcUrl, String prefix) {
    Tables t = new Tables(prefix);
    JdbcConfig tables = JdbcConfig.DEFAULT.withTablePrefix(prefix);
    JdbcEventStore.migrate(jdbcUrl, tables);
    try (JdbcEventStore store = JdbcEventStore.open(jdbcUrl, EventStoreConfig.DEFAULT.withEventTypes(TYPES), tables)) {
      store.inTransaction(tx -> {
        Handle h = tx.unwrap(Handle.class);
        RecipeListPage.createTables(h, t);
        RecipeDetailPage.createTables(h, t);
        CalendarPage.createTables(h, t);
        DashboardPage.createTables(h, t);
        ShoppingListPage.createTables(h, t);
        return null;
      });
    }
  }

  /**
   * Opens the app on {@code jdbcUrl}: the event store (tables prefixed with {@code prefix}) and the
   * page models; runs no DDL (the tables must exist: {@link #migrate}). {@code clock} decides what
   * "today" is.
   */
  public static RecipeApp open(String jdbcUrl, String prefix, Clock clock) {
    Tables t = new Tables(prefix);
    JdbcEventStore store = JdbcEventStore.open(jdbcUrl, EventStoreConfig.DEFAULT.withEventTypes(TYPES), JdbcConfig.DEFAULT.withTablePrefix(prefix));
    try {
      return new RecipeApp(store, t, clock);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The five page projections, each with its own name, checkpoint and tables. */
  public static List<Projection> pageProjections(Tables t) {
    return List.of(DashboardPage.projection(t, TYPES), CalendarPage.projection(t, TYPES),
        RecipeListPage.projection(t, TYPES), RecipeDetailPage.projection(t, TYPES), ShoppingListPage.projection(t, TYPES));
  }

  /** The old app. */
  public LegacyApp legacy() {
    return legacy;
  }

  /** The migration steps. */
  public Migration migration() {
    return migration;
  }

  /** The event store. */
  public JdbcEventStore store() {
    return store;
  }

  /** The projections of the store: status, rebuilds. */
  public Projections projections() {
    return projections;
  }

  /** The table prefix. */
  public Tables tables() {
    return t;
  }

  /** Starts the runner of the five page projections; new ones replay the log from position 0. */
  public void startPages() {
    startPages(pageProjections(t));
  }

  /** Starts a runner of {@code pages} (tests pass instrumented copies). */
  public void startPages(List<Projection> pages) {
    if (runner != null) {
      throw new IllegalStateException("the page runner is running already");
    }
    runner = projections.runner(RunnerConfig.DEFAULT.withOwner("recipe-pages-" + ProcessHandle.current().pid()), pages);
    running = List.copyOf(pages);
    runner.start();
  }

  /** Stops the page runner (the pages keep their tables and checkpoints). */
  public void stopPages() {
    if (runner != null) {
      runner.close();
      runner = null;
    }
  }

  /**
   * Blocks until every page has applied everything appended so far (read-your-writes).
   *
   * @throws dev.fabula.projections.ProjectionTimeoutException if one is slower than {@code timeout}
   */
  public void awaitPages(Duration timeout) {
    long head = store.headPosition();
    running.forEach(p -> projections.awaitPosition(p.id(), head, timeout));
  }

  /** Sends the reads of every switched page to {@code target}: the page models or the old tables. */
  public void switchReads(ReadTarget target) {
    listSwitch.set(target);
    detailSwitch.set(target);
    calendarSwitch.set(target);
  }

  /** Where the recipe list's reads go now. */
  public ReadTarget readTarget() {
    return listSwitch.target();
  }

  /** The recipe library page, from the old tables or the page model as its switch says. */
  public RecipeListPage.View recipeList(RecipeListPage.@Nullable Filter filter) {
    return listSwitch.read(() -> legacy.recipeList(filter),
        () -> store.jdbi().withHandle(h -> RecipeListPage.read(h, t, filter)));
  }

  /** The recipe detail page, from the old tables or the page model as its switch says. */
  public Optional<RecipeDetailPage.View> recipeDetail(long recipeId) {
    return detailSwitch.read(() -> legacy.recipeDetail(recipeId),
        () -> store.jdbi().withHandle(h -> RecipeDetailPage.read(h, t, TYPES.mapper(), recipeId)));
  }

  /** The calendar week that contains {@code day}, from the old tables or the page model. */
  public CalendarPage.Week calendar(LocalDate day) {
    return calendarSwitch.read(() -> legacy.calendar(day), () -> store.jdbi().withHandle(h -> CalendarPage.read(h, t, day)));
  }

  /** Today's dashboard (a new page: page model only). */
  public DashboardPage.View dashboard() {
    LocalDate today = LocalDate.now(clock);
    return store.jdbi().withHandle(h -> DashboardPage.read(h, t, today));
  }

  /** The shopping list of the week that contains {@code day} (a new page: page model only). */
  public ShoppingListPage.View shoppingList(LocalDate day) {
    return store.jdbi().withHandle(h -> ShoppingListPage.read(h, t, day));
  }

  /** Today, by the app's clock. */
  public LocalDate today() {
    return LocalDate.now(clock);
  }

  /** Stops the page runner and closes the store. */
  @Override
  public void close() {
    try {
      stopPages();
    } finally {
      store.close();
    }
  }
}
