package dev.fabula.examples.mealplanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.ErasureRecord;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.mealplanner.MealPlannerEvent.AdviceGiven;
import dev.fabula.examples.mealplanner.MealPlannerEvent.DiarySynced;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealCooked;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealPlanGenerated;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealSkipped;
import dev.fabula.examples.mealplanner.MealPlannerEvent.TrendsComputed;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.Trigger;
import dev.fabula.testkit.Await;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meal planner's story, end to end, on a real database: a subclass supplies it. Time is a
 * {@link SimulatedClock} moved by a {@link Simulation}, which waits on the scheduler's state in
 * the database after every step, so the tests never sleep.
 */
abstract class MealPlannerScenario {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  /** Each job "works" for this long on the simulated clock, so the history has real durations. */
  static final Duration WORK = Duration.ofMillis(250);
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  /** A JDBC URL (with credentials) of a database this test may use. */
  protected abstract String jdbcUrl();

  private final List<MealPlanner> open = new ArrayList<>();

  @AfterEach
  void closePlanners() {
    open.forEach(MealPlanner::close);
  }

  /** Records every start of a job, keeps the simulated work, and can hold jobs at a gate. */
  static final class Recorder implements JobObserver {
    final SimulatedClock clock;
    final List<String> starts = new CopyOnWriteArrayList<>();
    volatile @Nullable CountDownLatch anyStart;
    volatile java.util.concurrent.@Nullable Semaphore gate;
    volatile boolean work = true;

    Recorder(SimulatedClock clock) {
      this.clock = clock;
    }

    @Override
    public void started(PlannerJob job, JobContext ctx) throws Exception {
      starts.add(job.priority() + " " + job);
      CountDownLatch latch = anyStart;
      if (latch != null) {
        latch.countDown();
      }
      if (work) {
        clock.advance(WORK);
      }
      java.util.concurrent.Semaphore g = gate;
      if (g != null && !g.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    }
  }

  /**
   * A planner on this test's database. On SQLite commits skip the disk flush unless {@code
   * durable} (PostgreSQL is unaffected): weeks of simulated jobs run three times faster.
   */
  MealPlanner open(ZoneId zone, SimulatedClock clock, FoodDiary diary, JobObserver observer) {
    return open(zone, clock, diary, observer, false);
  }

  MealPlanner open(ZoneId zone, SimulatedClock clock, FoodDiary diary, JobObserver observer, boolean durable) {
    MealPlannerConfig config = MealPlannerConfig.DEFAULT
        .withDurableCommits(durable)
        .withZone(zone)
        .withClock(clock)
        .withTablePrefix("mp" + PREFIXES.incrementAndGet() + "_")
        .withPollInterval(Duration.ofMillis(10));
    MealPlanner.migrate(jdbcUrl(), config);
    MealPlanner planner = MealPlanner.open(jdbcUrl(), config, diary, observer);
    open.add(planner);
    return planner;
  }

  static Instant local(ZoneId zone, String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
  }

  static List<Object> events(MealPlanner planner) {
    try (Stream<RecordedEvent> all = planner.store().readAll(LogQuery.after(0))) {
      return all.map(e -> planner.store().types().decode(e)).collect(Collectors.toList());
    }
  }

  static <T> List<T> eventsOf(List<Object> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }

  static List<JobRun> ran(MealPlanner planner, PlannerJob job) {
    return planner.history(job).stream().filter(r -> r.outcome() != JobRun.Outcome.MISSED).collect(Collectors.toList());
  }

  /** The sync occurrences of a local day: even hours, a time in a spring-forward gap at the gap's end. */
  static List<Instant> syncsOf(LocalDate day, ZoneId zone) {
    List<Instant> out = new ArrayList<>();
    for (int h = 0; h < 24; h += 2) {
      out.add(ZonedDateTime.of(day.atTime(h, 0), zone).toInstant());
    }
    return out;
  }

  // ---- erasing a user ------------------------------------------------------------------------

  @Test
  void erasing_a_user_redacts_their_skip_reasons_and_advice_and_leaves_other_users_readable() {
    SimulatedClock clock = SimulatedClock.still(local(BERLIN, "2025-03-06T12:00"));
    MealPlanner planner = open(BERLIN, clock, new SimulatedFoodDiary(clock), JobObserver.NONE);
    LocalDate week = LocalDate.parse("2025-03-01");
    for (String user : List.of("ada", "bob")) {
      planner.store().append(MealPlan.id(user, week), ExpectedVersion.any(), List.of(EventData.of(
          new MealSkipped(user, week, MealType.DINNER, "r-risotto", user + " ate at her sister's"))));
      planner.store().append("advice-" + user, ExpectedVersion.any(), List.of(EventData.of(
          new AdviceGiven(user, week, "Tomorrow " + user + " cooks r-risotto"))));
    }

    ErasureRecord record = planner.eraseUser("ada", "dpo:ticket-7");

    assertThat(record.counts()).containsEntry("keys", 1L);
    assertThat(planner.skippedMeals("ada", week))
        .containsExactly(new MealSkipped("ada", week, MealType.DINNER, "r-risotto", null));
    assertThat(planner.advice("ada")).containsExactly(new AdviceGiven("ada", week, null));
    assertThat(planner.skippedMeals("bob", week)).extracting(MealSkipped::reason).containsExactly("bob ate at her sister's");
    assertThat(planner.advice("bob")).extracting(AdviceGiven::advice).containsExactly("Tomorrow bob cooks r-risotto");
    assertThat(planner.queue().schedules()).as("the planner's schedules name no user").hasSize(PlannerJob.values().length);
  }

  // ---- the simulated month ------------------------------------------------------------------

  @Test
  void a_simulated_month_runs_every_schedule_at_its_local_time_with_retries_the_kill_switch_and_the_cooldown() throws Exception {
    SimulatedClock clock = SimulatedClock.still(local(BERLIN, "2025-02-28T23:00"));
    SimulatedFoodDiary diary = new SimulatedFoodDiary(clock)
        .outage(local(BERLIN, "2025-03-11T09:50"), local(BERLIN, "2025-03-11T10:30"));
    Recorder recorder = new Recorder(clock);
    MealPlanner planner = open(BERLIN, clock, diary, recorder);
    planner.addRecipes(Recipes.sampleCatalogue());
    planner.start();
    Simulation sim = new Simulation(planner, clock);

    sim.runUntil(local(BERLIN, "2025-03-12T09:00"));
    planner.setKillSwitch(true);
    CountDownLatch startedWhilePaused = new CountDownLatch(1);
    recorder.anyStart = startedWhilePaused;
    sim.runUntil(local(BERLIN, "2025-03-12T11:00")); // the 10:00 sync comes due
    long manual = planner.runNow(PlannerJob.AUTO_SYNC).id();
    assertThat(planner.queue().explain(manual).reasons()).anySatisfy(r -> assertThat(r).contains("kill switch is on"));
    sim.runUntil(local(BERLIN, "2025-03-12T13:00")); // and the 12:00 one
    assertThat(startedWhilePaused.await(300, TimeUnit.MILLISECONDS)).as("nothing starts while the kill switch is on").isFalse();
    assertThat(planner.queue().schedules()).filteredOn(s -> s.name().equals("auto-sync")).singleElement()
        .satisfies(s -> assertThat(s.nextRunAt()).isEqualTo(local(BERLIN, "2025-03-12T10:00")));
    recorder.anyStart = null;
    planner.setKillSwitch(false);
    sim.runUntil(local(BERLIN, "2025-03-12T13:00"));
    assertThat(planner.queue().job(manual).orElseThrow().state()).as("the manual sync ran after the kill switch").isEqualTo(JobState.SUCCEEDED);
    sim.runUntil(local(BERLIN, "2025-03-31T23:00"));

    // -- schedules: exact runs, at local times, across the change to summer time on 30 March
    List<JobRun> syncs = ran(planner, PlannerJob.AUTO_SYNC);
    List<Instant> expectedSyncs = new ArrayList<>();
    for (LocalDate d = LocalDate.of(2025, 3, 1); !d.isAfter(LocalDate.of(2025, 3, 31)); d = d.plusDays(1)) {
      expectedSyncs.addAll(syncsOf(d, BERLIN));
    }
    Instant failed = local(BERLIN, "2025-03-11T10:00");
    Instant missed = local(BERLIN, "2025-03-12T10:00");
    expectedSyncs.remove(missed);
    assertThat(syncs.stream().map(JobRun::scheduledFor).distinct()).containsExactlyElementsOf(expectedSyncs);
    Map<LocalDate, Long> perDay = syncs.stream().map(JobRun::scheduledFor).distinct()
        .collect(Collectors.groupingBy(i -> LocalDate.ofInstant(i, BERLIN), TreeMap::new, Collectors.counting()));
    assertThat(perDay).hasSize(31);
    perDay.forEach((day, n) -> assertThat(n).as("syncs on %s", day).isEqualTo(day.getDayOfMonth() == 12 ? 11 : 12));
    assertThat(syncs.stream().map(JobRun::scheduledFor).filter(i -> LocalDate.ofInstant(i, BERLIN).getDayOfMonth() == 30)
        .map(i -> i.atZone(BERLIN).getHour()))
        .as("30 March: 02:00 does not exist in Berlin and runs at 03:00 CEST")
        .containsExactly(0, 3, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22);
    assertThat(planner.history(PlannerJob.AUTO_SYNC)).filteredOn(r -> r.outcome() == JobRun.Outcome.MISSED)
        .singleElement().satisfies(r -> {
          assertThat(r.scheduledFor()).isEqualTo(missed);
          assertThat(r.error()).contains("superseded");
        });
    assertThat(syncs).filteredOn(r -> r.scheduledFor().equals(local(BERLIN, "2025-03-12T12:00"))).singleElement()
        .satisfies(r -> assertThat(r.startedAt()).as("run late, once, after the kill switch (next to the manual sync)")
            .isIn(local(BERLIN, "2025-03-12T13:00"), local(BERLIN, "2025-03-12T13:00").plus(WORK)));

    assertThat(ran(planner, PlannerJob.WEEKLY_PLAN)).extracting(JobRun::scheduledFor).containsExactly(
        local(BERLIN, "2025-03-07T06:00"), local(BERLIN, "2025-03-14T06:00"), local(BERLIN, "2025-03-21T06:00"),
        local(BERLIN, "2025-03-28T06:00"));
    assertThat(ran(planner, PlannerJob.WEEKLY_TRENDS)).extracting(JobRun::scheduledFor).containsExactly(
        local(BERLIN, "2025-03-06T20:00"), local(BERLIN, "2025-03-13T20:00"), local(BERLIN, "2025-03-20T20:00"),
        local(BERLIN, "2025-03-27T20:00"));
    List<JobRun> advice = ran(planner, PlannerJob.DAILY_ADVISOR);
    assertThat(advice).hasSize(31).allSatisfy(r -> assertThat(r.scheduledFor().atZone(BERLIN).toLocalTime()).hasToString("20:00"));
    assertThat(advice.get(28).scheduledFor()).as("29 March, winter time").isEqualTo(Instant.parse("2025-03-29T19:00:00Z"));
    assertThat(advice.get(29).scheduledFor()).as("30 March, summer time").isEqualTo(Instant.parse("2025-03-30T18:00:00Z"));

    // -- the failing sync: retried after 60, 120 and 240 s, then FAILED, each attempt in the history
    List<JobRun> attempts = planner.history(PlannerJob.AUTO_SYNC).stream()
        .filter(r -> failed.equals(r.scheduledFor())).collect(Collectors.toList());
    assertThat(attempts).hasSize(4).allSatisfy(r -> {
      assertThat(r.outcome()).isEqualTo(JobRun.Outcome.FAILED);
      assertThat(r.error()).contains("food diary unavailable");
      assertThat(r.durationMs()).isEqualTo(WORK.toMillis());
    });
    assertThat(attempts).extracting(JobRun::trigger).containsExactly(Trigger.SCHEDULED, Trigger.RETRY, Trigger.RETRY, Trigger.RETRY);
    assertThat(attempts).extracting(JobRun::attempt).containsExactly(1, 2, 3, 4);
    for (int i = 1; i < 4; i++) {
      assertThat(Duration.between(attempts.get(i - 1).finishedAt(), attempts.get(i).startedAt()))
          .as("pause before attempt %d", i + 1).isEqualTo(Duration.ofSeconds(60L << (i - 1)));
    }
    assertThat(attempts.get(0).startedAt()).isEqualTo(failed);
    assertThat(attempts.get(3).startedAt()).isEqualTo(failed.plus(Duration.ofSeconds(420)).plus(WORK.multipliedBy(3)));
    assertThat(planner.queue().job(attempts.get(0).jobId()).orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(syncs).allSatisfy(r -> assertThat(r.durationMs())
        .isEqualTo(Duration.between(r.startedAt(), r.finishedAt()).toMillis()).isGreaterThanOrEqualTo(WORK.toMillis()));

    // -- at most five jobs at once
    assertThat(planner.maxConcurrentJobs()).isBetween(1, 5);

    // -- the events
    List<Object> events = events(planner);
    List<MealPlanGenerated> plans = eventsOf(events, MealPlanGenerated.class);
    assertThat(plans).extracting(p -> p.userId() + " " + p.weekStart()).containsExactlyInAnyOrder(
        "ada 2025-03-08", "ben 2025-03-08", "ada 2025-03-15", "ben 2025-03-15",
        "ada 2025-03-22", "ben 2025-03-22", "ada 2025-03-29", "ben 2025-03-29");
    assertThat(plans).allSatisfy(p -> assertThat(p.slots()).hasSize(28));
    assertNoRecipeReusedWithinCooldown(plans, 30);
    for (String user : List.of("ada", "ben")) {
      assertThat(plans.stream().filter(p -> p.userId().equals(user))
          .map(p -> p.slots().stream().filter(s -> !s.filled()).count()))
          .as("empty snack slots per week: 12 snacks last 12 days").containsExactly(0L, 2L, 7L, 7L);
    }
    assertThat(plans).flatExtracting(MealPlanGenerated::slots).filteredOn(s -> !s.filled())
        .allSatisfy(s -> {
          assertThat(s.mealType()).isEqualTo(MealType.SNACK);
          assertThat(s.note()).startsWith("no eligible snack recipe: all 12 were used in the last 30 days");
        });
    planner.projections().awaitPosition(planner.rotation().projection().id(), planner.store().headPosition(), Duration.ofSeconds(20));
    assertThat(planner.rotation().lastUses("ada").values().stream().mapToInt(Map::size).sum())
        .as("recipes in ada's rotation: 28 breakfasts, lunches and dinners, 12 snacks").isEqualTo(96);
    assertThat(planner.rotation().lastUses("ada").get(MealType.SNACK)).containsEntry("snack01", LocalDate.of(2025, 3, 8))
        .containsEntry("snack12", LocalDate.of(2025, 3, 19));

    List<MealCooked> cooked = eventsOf(events, MealCooked.class);
    List<MealSkipped> skipped = eventsOf(events, MealSkipped.class);
    for (String user : List.of("ada", "ben")) {
      List<PlanSlot> due = plans.stream().filter(p -> p.userId().equals(user)).flatMap(p -> p.slots().stream())
          .filter(s -> s.filled() && !s.date().isAfter(LocalDate.of(2025, 3, 31))).collect(Collectors.toList());
      assertThat(due).hasSize(96 - 12);
      assertThat(cooked.stream().filter(c -> c.userId().equals(user)).map(c -> c.date() + " " + c.mealType() + " " + c.recipeId()))
          .containsExactlyInAnyOrderElementsOf(due.stream().filter(s -> !SimulatedFoodDiary.skips(user, s.date(), s.mealType()))
              .map(s -> s.date() + " " + s.mealType() + " " + s.recipeId()).collect(Collectors.toList()));
      assertThat(skipped.stream().filter(c -> c.userId().equals(user)).map(c -> c.date() + " " + c.mealType()))
          .containsExactlyInAnyOrderElementsOf(due.stream().filter(s -> SimulatedFoodDiary.skips(user, s.date(), s.mealType()))
              .map(s -> s.date() + " " + s.mealType()).collect(Collectors.toList()));
      assertThat(eventsOf(events, AdviceGiven.class).stream().filter(a -> a.userId().equals(user)).map(AdviceGiven::date))
          .hasSize(31).doesNotHaveDuplicates();
      List<TrendsComputed> trends = eventsOf(events, TrendsComputed.class).stream().filter(t -> t.userId().equals(user))
          .collect(Collectors.toList());
      assertThat(trends).extracting(TrendsComputed::to).containsExactly(LocalDate.of(2025, 3, 5), LocalDate.of(2025, 3, 12),
          LocalDate.of(2025, 3, 19), LocalDate.of(2025, 3, 26));
      for (TrendsComputed t : trends) {
        assertThat(t.cooked()).isEqualTo(cooked.stream().filter(c -> c.userId().equals(user) && within(c.date(), t)).count());
        assertThat(t.skipped()).isEqualTo(skipped.stream().filter(c -> c.userId().equals(user) && within(c.date(), t)).count());
      }
      assertThat(trends.get(3).cooked() + trends.get(3).skipped()).as("20 to 26 March: 28 meals, the 7 snacks unplanned").isEqualTo(21);
    }
    assertThat(eventsOf(events, DiarySynced.class)).as("syncs that succeeded, and the manual one").hasSize(31 * 12 - 2 + 1);
  }

  // ---- priorities and the concurrency limit ------------------------------------------------

  @Test
  void with_the_pool_saturated_higher_priorities_start_first_and_never_more_than_five_run_at_once() throws Exception {
    SimulatedClock clock = SimulatedClock.still(local(BERLIN, "2025-03-14T08:00"));
    Recorder recorder = new Recorder(clock);
    recorder.work = false;
    java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);
    recorder.gate = gate;
    MealPlanner planner = open(BERLIN, clock, new SimulatedFoodDiary(clock), recorder);
    planner.addRecipes(Recipes.sampleCatalogue());
    planner.setKillSwitch(true);
    planner.start();
    List<PlannerJob> scrambled = List.of(PlannerJob.WEEKLY_TRENDS, PlannerJob.DAILY_ADVISOR, PlannerJob.AUTO_SYNC,
        PlannerJob.WEEKLY_PLAN, PlannerJob.WEEKLY_TRENDS, PlannerJob.AUTO_SYNC, PlannerJob.DAILY_ADVISOR,
        PlannerJob.WEEKLY_PLAN, PlannerJob.WEEKLY_TRENDS, PlannerJob.AUTO_SYNC, PlannerJob.DAILY_ADVISOR, PlannerJob.WEEKLY_PLAN);
    List<Long> ids = new ArrayList<>();
    for (PlannerJob job : scrambled) {
      ids.add(planner.runNow(job).id());
    }
    assertThat(planner.queue().job(ids.get(0)).orElseThrow().priority().value()).as("LOW is the scheduler's 25").isEqualTo(25);
    assertThat(planner.queue().job(ids.get(3)).orElseThrow().priority().value()).as("CRITICAL is 100").isEqualTo(100);

    planner.setKillSwitch(false); // twelve jobs due at once, room for five
    awaitStarts(recorder, 5);
    assertThat(recorder.starts).containsExactlyInAnyOrder("CRITICAL WEEKLY_PLAN", "CRITICAL WEEKLY_PLAN",
        "CRITICAL WEEKLY_PLAN", "HIGH AUTO_SYNC", "HIGH AUTO_SYNC");
    assertThat(planner.runningJobs()).isEqualTo(5);
    assertThat(planner.queue().explain(ids.get(1)).reasons())
        .anySatisfy(r -> assertThat(r).contains("its concurrency limit is full").contains("allows 5 and 5 are running"));
    for (int n = 6; n <= 12; n++) {
      gate.release(); // one job finishes: one place frees up, and the highest priority waiting takes it
      awaitStarts(recorder, n);
    }
    assertThat(recorder.starts.subList(5, 12)).containsExactly("HIGH AUTO_SYNC", "MEDIUM DAILY_ADVISOR",
        "MEDIUM DAILY_ADVISOR", "MEDIUM DAILY_ADVISOR", "LOW WEEKLY_TRENDS", "LOW WEEKLY_TRENDS", "LOW WEEKLY_TRENDS");
    gate.release(5);
    for (long id : ids) {
      awaitState(planner, id, JobState.SUCCEEDED);
    }
    assertThat(planner.maxConcurrentJobs()).isEqualTo(5);
    assertThat(eventsOf(events(planner), MealPlanGenerated.class))
        .as("three generation runs, one plan per user: the decider rejects the second and third")
        .extracting(p -> p.userId() + " " + p.weekStart()).containsExactlyInAnyOrder("ada 2025-03-15", "ben 2025-03-15");
  }

  static void awaitStarts(Recorder recorder, int n) {
    Await.value(n + " job starts", Duration.ofSeconds(20), () -> List.copyOf(recorder.starts), seen -> seen.size() >= n);
    assertThat(recorder.starts).as("no more than %d started", n).hasSize(n);
  }

  static void awaitState(MealPlanner planner, long id, JobState state) {
    try {
      Await.until("job " + id + " to be " + state, Duration.ofSeconds(20), () -> planner.queue().job(id).orElseThrow().state() == state);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + planner.queue().explain(id), e);
    }
  }

  // ---- another zone, across its own change to summer time, with the store's durable settings --

  @Test
  void in_new_york_the_schedules_follow_new_york_time_across_its_change_to_summer_time() {
    SimulatedClock clock = SimulatedClock.still(local(NEW_YORK, "2025-03-06T12:00"));
    MealPlanner planner = open(NEW_YORK, clock, new SimulatedFoodDiary(clock), JobObserver.NONE, true);
    planner.addRecipes(Recipes.sampleCatalogue());
    planner.start();
    new Simulation(planner, clock).runUntil(local(NEW_YORK, "2025-03-10T23:00"));

    assertThat(ran(planner, PlannerJob.WEEKLY_TRENDS)).extracting(JobRun::scheduledFor)
        .containsExactly(Instant.parse("2025-03-07T01:00:00Z")); // Thursday 20:00 EST
    assertThat(ran(planner, PlannerJob.WEEKLY_PLAN)).extracting(JobRun::scheduledFor)
        .containsExactly(Instant.parse("2025-03-07T11:00:00Z")); // Friday 06:00 EST
    assertThat(ran(planner, PlannerJob.DAILY_ADVISOR)).extracting(JobRun::scheduledFor).containsExactly(
        Instant.parse("2025-03-07T01:00:00Z"), Instant.parse("2025-03-08T01:00:00Z"), Instant.parse("2025-03-09T01:00:00Z"),
        Instant.parse("2025-03-10T00:00:00Z"), // 9 March 20:00 EDT: clocks went forward that night
        Instant.parse("2025-03-11T00:00:00Z"));
    List<Instant> syncs = ran(planner, PlannerJob.AUTO_SYNC).stream().map(JobRun::scheduledFor).collect(Collectors.toList());
    List<Instant> expected = new ArrayList<>();
    expected.addAll(syncsOf(LocalDate.of(2025, 3, 6), NEW_YORK).subList(7, 12)); // 14:00 to 22:00
    for (LocalDate d = LocalDate.of(2025, 3, 7); !d.isAfter(LocalDate.of(2025, 3, 10)); d = d.plusDays(1)) {
      expected.addAll(syncsOf(d, NEW_YORK));
    }
    assertThat(syncs).containsExactlyElementsOf(expected);
    assertThat(syncs.stream().filter(i -> LocalDate.ofInstant(i, NEW_YORK).getDayOfMonth() == 9).map(i -> i.atZone(NEW_YORK).getHour()))
        .as("9 March: 02:00 does not exist in New York and runs at 03:00 EDT")
        .containsExactly(0, 3, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22);
    assertThat(eventsOf(events(planner), MealPlanGenerated.class)).extracting(MealPlanGenerated::weekStart)
        .containsOnly(LocalDate.of(2025, 3, 8)).hasSize(2);
  }

  // ---- the tour ---------------------------------------------------------------------------------

  @Test
  void the_tour_prints_the_schedule_runs_the_retries_the_kill_switch_and_a_plan_and_leaves_no_thread_behind() {
    java.util.Set<Thread> before = nonDaemonThreads();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    Tour.run(jdbcUrl(), new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    String out = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);

    assertThat(out.lines().count()).isBetween(20L, 60L);
    assertThat(out).contains("Kill switch ON on 12 March 09:00 (pauseAll, stored in the database): 0 jobs started until 13:00.");
    assertThat(out).containsPattern("weekly-plan-generation +2 +2 +0 +0 ")
        .containsPattern("auto-sync +102 +105 +4 +1 ")
        .containsPattern("daily-advisor +9 +9 +0 +0 ")
        .containsPattern("weekly-trends +2 +2 +0 +0 ");
    assertThat(out).contains("missed: the sync of Wed 12 Mar 10:00")
        .contains("the sync of 12 March 12:00 ran late, once, at 13:00:00");
    assertThat(out).containsPattern("attempt 1 at 10:00:00 +FAILED, \\d+ ms: food diary unavailable")
        .containsPattern("attempt 2 at 10:01:00 \\(60 s after the failure\\) +FAILED")
        .containsPattern("attempt 3 at 10:03:00 \\(120 s after the failure\\) FAILED")
        .containsPattern("attempt 4 at 10:07:00 \\(240 s after the failure\\) FAILED")
        .contains("the job is now FAILED");
    assertThat(out).contains("Plan of ada for the week of Sat 15 Mar, generated Fri 14 Mar 06:00")
        .containsPattern("Thu 20 Mar +\\S.* +\\(empty\\) +Fish tacos verde")
        .contains("2 empty slot(s): no eligible snack recipe: all 12 were used in the last 30 days; the first frees up on 2025-04-07.")
        .contains("Cooldown check over all 4 plans in the log: no recipe was reused within 30 days.")
        .contains("4 meal-plan-generated")
        .contains("100 recipe-added");
    assertThat(nonDaemonThreads()).as("threads left running").isSubsetOf(before);
  }

  private static java.util.Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon()).collect(Collectors.toSet());
  }

  private static boolean within(LocalDate d, TrendsComputed t) {
    return !d.isBefore(t.from()) && !d.isAfter(t.to());
  }

  /** Checks every plan against the full history: no user gets a recipe for a meal type twice within {@code days}. */
  static void assertNoRecipeReusedWithinCooldown(List<MealPlanGenerated> plans, int days) {
    Map<String, List<LocalDate>> uses = new TreeMap<>();
    for (MealPlanGenerated p : plans) {
      for (PlanSlot s : p.slots()) {
        if (s.filled()) {
          uses.computeIfAbsent(p.userId() + "/" + s.mealType() + "/" + s.recipeId(), k -> new ArrayList<>()).add(s.date());
        }
      }
    }
    assertThat(uses).isNotEmpty();
    uses.forEach((key, dates) -> {
      List<LocalDate> sorted = dates.stream().sorted().collect(Collectors.toList());
      for (int i = 1; i < sorted.size(); i++) {
        assertThat(ChronoUnit.DAYS.between(sorted.get(i - 1), sorted.get(i))).as("%s used on %s", key, sorted)
            .isGreaterThanOrEqualTo(days);
      }
    });
  }
}
