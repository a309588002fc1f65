package dev.fabula.examples.mealplanner;

import dev.fabula.AggregateRepository;
import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.examples.mealplanner.MealPlannerEvent.AdviceGiven;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealSkipped;
import dev.fabula.examples.mealplanner.MealPlannerEvent.RecipeAdded;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.scheduler.ConcurrencyLimit;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.RetryPolicy;
import dev.fabula.scheduler.TimeSource;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.WorkerPool;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The meal planner: an event store, the recipe-rotation projection, and a job queue with the four
 * recurring {@link PlannerJob}s, all in one database (SQLite or PostgreSQL).
 *
 * <pre>{@code
 * try (MealPlanner planner = MealPlanner.open("jdbc:sqlite:meals.db", MealPlannerConfig.DEFAULT, diary, JobObserver.NONE)) {
 *   planner.addRecipes(Recipes.sampleCatalogue());
 *   planner.start();            // worker pool: schedules now run
 *   planner.setKillSwitch(true); // stored in the database: every process stops starting jobs
 * }
 * }</pre>
 *
 * <p>What the scheduler does for the team: priorities (critical &gt; high &gt; medium &gt; low,
 * see {@link JobPriority}), an overall concurrency limit ({@link MealPlannerConfig#maxConcurrentJobs},
 * stored in the database), the kill switch, retries after 60 s, 120 s and 240 s then FAILED
 * ({@link RetryPolicy#DEFAULT}, no jitter), and an execution history with durations
 * ({@link #history(PlannerJob)}). Thread-safe.
 */
public final class MealPlanner implements AutoCloseable {
  private final MealPlannerConfig config;
  private final JdbcEventStore store;
  private final Projections projections;
  private final RecipeRotation rotation;
  private final ProjectionRunner runner;
  private final AggregateRepository<MealPlan.State, MealPlan.Command, MealPlannerEvent> plans;
  private final JobQueue queue;
  private final JobObserver observer;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private @Nullable WorkerPool pool;

  private MealPlanner(MealPlannerConfig config, JdbcEventStore store, FoodDiary diary,
      JobObserver observer) {
    this.config = config;
    this.store = store;
    this.observer = observer;
    this.projections = Projections.open(store);
    this.rotation = new RecipeRotation(store, config.tablePrefix());
    this.runner = projections.runner(RunnerConfig.DEFAULT.withPollInterval(Duration.ofMillis(200)), List.of(rotation.projection()));
    runner.start();
    this.plans = AggregateRepository.of(store, new MealPlan());
    this.queue = JobQueue.open(store, schedulerConfig(config));
    PlannerJobs jobs = new PlannerJobs(store, projections, rotation, plans, diary, config);
    register(PlannerJob.WEEKLY_PLAN, jobs::generate);
    register(PlannerJob.AUTO_SYNC, jobs::sync);
    register(PlannerJob.DAILY_ADVISOR, jobs::advise);
    register(PlannerJob.WEEKLY_TRENDS, jobs::trends);
    queue.setConcurrencyLimit(ConcurrencyLimit.overall(config.maxConcurrentJobs()));
    for (PlannerJob job : PlannerJob.values()) {
      // Defining a schedule exactly as stored changes nothing: every process may do this at start-up.
      queue.schedule(job.scheduleName(), job.schedule(config.zone()), job.request());
    }
  }

  /**
   * Creates or upgrades the planner's tables: the event store's, the scheduler's and the rotation's. Run it once per
   * release, before {@link #open}, as a role that may run DDL (the schema owner on PostgreSQL); the planner itself
   * then needs only row privileges. Safe to run again.
   */
  public static void migrate(String jdbcUrl, MealPlannerConfig config) {
    JdbcConfig tables = JdbcConfig.DEFAULT.withTablePrefix(config.tablePrefix());
    JdbcEventStore.migrate(jdbcUrl, tables);
    try (JdbcEventStore store = JdbcEventStore.open(jdbcUrl, storeConfig(config), tables)) {
      store.jdbi().useHandle(h -> RecipeRotation.createTables(h, config.tablePrefix()));
    }
  }

  /**
   * Opens the planner on {@code jdbcUrl}: starts the rotation projection and stores the schedules; runs no DDL (the
   * tables must exist: {@link #migrate}). Jobs run once {@link #start()} is called.
   */
  public static MealPlanner open(String jdbcUrl, MealPlannerConfig config, FoodDiary diary, JobObserver observer) {
    boolean relaxed = !config.durableCommits() && jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.contains("synchronous=");
    String url = relaxed ? jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "synchronous=NORMAL" : jdbcUrl;
    JdbcEventStore store = JdbcEventStore.open(url, storeConfig(config), JdbcConfig.DEFAULT.withTablePrefix(config.tablePrefix()));
    try {
      return new MealPlanner(config, store, diary, observer);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The planner's personal data: skip reasons and advice, keyed by the user ({@link MealPlannerEvent}). */
  public static final PersonalDataPolicy PERSONAL_DATA = PersonalDataPolicy.builder().register(MealPlannerEvent.class).build();

  private static EventStoreConfig storeConfig(MealPlannerConfig config) {
    EventTypes types = EventTypes.builder().register(MealPlannerEvent.class).build();
    return EventStoreConfig.DEFAULT.withEventTypes(types).withPersonalData(PERSONAL_DATA).withClock(config.clock());
  }

  /** The scheduler settings: the planner's clock, retries 60/120/240 s without jitter, a year of history. */
  static JobQueueConfig schedulerConfig(MealPlannerConfig config) {
    return JobQueueConfig.DEFAULT
        .withClock(config.clock())
        // the system clock: leases and due times on the database's clock; a simulated clock drives them too
        .withTime(config.clock().equals(Clock.systemUTC()) ? TimeSource.database() : TimeSource.of(config.clock()))
        .withPollInterval(config.pollInterval())
        .withDefaultRetryPolicy(RetryPolicy.DEFAULT)
        .withRetention(Duration.ofDays(1), null, Duration.ofDays(366))
        .withShutdownTimeout(Duration.ofSeconds(10));
  }

  private void register(PlannerJob job, Function<JobContext, JobResult> handler) {
    JobHandler wrapped = ctx -> {
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
      Throwable error = null;
      try {
        observer.started(job, ctx);
        return handler.apply(ctx);
      } catch (Exception | Error e) {
        error = e;
        throw e;
      } finally {
        running.decrementAndGet();
        observer.finished(job, ctx, error);
      }
    };
    queue.register(job.type(), wrapped);
  }

  /** Starts the worker pool: due jobs and schedule occurrences run from now on. */
  public synchronized MealPlanner start() {
    if (pool == null) {
      pool = queue.newWorkerPool(config.workerThreads()).start();
    }
    return this;
  }

  /** Adds recipes to the catalogue (one {@code recipe-added} event each, in stream {@code recipe-<id>}). */
  public void addRecipes(List<RecipeAdded> recipes) {
    for (RecipeAdded r : recipes) {
      store.append("recipe-" + r.recipeId(), ExpectedVersion.noStream(), List.of(EventData.of(r)));
    }
  }

  /** Turns the kill switch on or off; stored in the database, obeyed by every process. */
  public void setKillSwitch(boolean on) {
    if (on) {
      queue.pauseAll();
    } else {
      queue.resumeAll();
    }
  }

  /** Whether the kill switch is on. */
  public boolean killSwitchOn() {
    return queue.stats().killSwitchOn();
  }

  /** Enqueues a run of {@code job} now, outside its schedule (a user pressing "run now"). */
  public Job runNow(PlannerJob job) {
    return queue.enqueue(job.request());
  }

  /** The execution history of a recurring job: every attempt (with its duration) and every missed occurrence. */
  public List<JobRun> history(PlannerJob job) {
    return queue.scheduleHistory(job.scheduleName());
  }

  /** A user's plan of the week starting {@code weekStart} (a Saturday). */
  public MealPlan.State plan(String userId, LocalDate weekStart) {
    return plans.load(MealPlan.id(userId, weekStart)).state();
  }

  /** The advice given to a user, oldest first ({@code advice} is null once the user is erased). */
  public List<AdviceGiven> advice(String userId) {
    return store.readStream("advice-" + userId).stream().map(e -> store.types().decode(e, AdviceGiven.class)).toList();
  }

  /** The meals a user skipped in the week starting {@code weekStart}, with the diary's reasons (null once erased). */
  public List<MealSkipped> skippedMeals(String userId, LocalDate weekStart) {
    return store.readStream(MealPlan.id(userId, weekStart)).stream()
        .map(e -> store.types().decode(e))
        .filter(MealSkipped.class::isInstance)
        .map(MealSkipped.class::cast)
        .toList();
  }

  /**
   * Erases a user on their request: the reasons their diary gave for skipped meals and the advice
   * written for them read as {@code null} for good (their key is deleted, docs/personal-data.md);
   * plans, cooked meals and trends stay, and so do other users' words. Idempotent.
   *
   * @param by who asked, kept in the erasure record (a role or a ticket)
   */
  public ErasureRecord eraseUser(String userId, String by) {
    return store.erase(Erasure.subject(userId).by(by));
  }

  /** Handlers running in this process now. */
  public int runningJobs() {
    return running.get();
  }

  /** The most handlers that ran at once in this process. */
  public int maxConcurrentJobs() {
    return maxRunning.get();
  }

  /** The configuration. */
  public MealPlannerConfig config() {
    return config;
  }

  /** The event store. */
  public JdbcEventStore store() {
    return store;
  }

  /** The job queue. */
  public JobQueue queue() {
    return queue;
  }

  /** The projections of the store (status, awaiting the rotation read model). */
  public Projections projections() {
    return projections;
  }

  /** The recipe-rotation read model. */
  public RecipeRotation rotation() {
    return rotation;
  }

  /** Stops the worker pool (running jobs finish), the projection runner and the store. */
  @Override
  public synchronized void close() {
    try {
      if (pool != null) {
        pool.close();
      }
    } finally {
      try {
        runner.close();
      } finally {
        store.close();
      }
    }
  }
}
