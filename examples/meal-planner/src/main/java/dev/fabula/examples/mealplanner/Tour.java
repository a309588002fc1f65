package dev.fabula.examples.mealplanner;

import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.mealplanner.MealPlannerEvent.AdviceGiven;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealPlanGenerated;
import dev.fabula.examples.mealplanner.MealPlannerEvent.TrendsComputed;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.ScheduleInfo;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * A scripted nine days of the meal planner (two weekly plans) on a fast simulated clock: the four schedules run at
 * their local times, a food-diary outage makes a sync fail and retry, the kill switch holds
 * everything for four hours, and the second week's plan shows the 30-day recipe cooldown running
 * out of snacks. Prints what happened, in plain sentences and small tables.
 */
public final class Tour {
  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH);

  private Tour() {}

  /**
   * Plays the tour on {@code jdbcUrl} (an empty SQLite file, or a PostgreSQL database: the tables
   * get a fresh prefix) and prints it to {@code out}. Closes everything it opens.
   */
  public static void run(String jdbcUrl, PrintStream out) {
    run(jdbcUrl, out, (planner, story) -> story.run());
  }

  /**
   * Plays the tour as {@link #run(String, PrintStream)} does, but hands the open planner and the
   * story to {@code around}, which runs the story (once) and may do more before and after it while
   * the planner is open: {@link Main} serves the admin console and the meters there.
   */
  public static void run(String jdbcUrl, PrintStream out, BiConsumer<MealPlanner, Runnable> around) {
    Instant start = at("2025-03-06T19:00");
    Instant end = at("2025-03-15T08:00");
    SimulatedClock clock = SimulatedClock.ticking(start);
    SimulatedFoodDiary diary = new SimulatedFoodDiary(clock).outage(at("2025-03-11T09:50"), at("2025-03-11T10:30"));
    String prefix = jdbcUrl.startsWith("jdbc:sqlite:") ? "meals_" : "tour" + Long.toString(System.currentTimeMillis(), 36) + "_";
    MealPlannerConfig config = MealPlannerConfig.DEFAULT
        .withZone(ZONE)
        .withClock(clock)
        .withTablePrefix(prefix)
        .withPollInterval(Duration.ofMillis(10))
        .withDurableCommits(false);
    MealPlanner.migrate(jdbcUrl, config);
    long t0 = System.nanoTime();
    try (MealPlanner planner = MealPlanner.open(jdbcUrl, config, diary, JobObserver.NONE)) {
      around.accept(planner, () -> {
        out.println("Meal planner tour: four recurring jobs in the event store's database, on a simulated clock.");
        out.println("Database: " + (jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite") + ", tables prefixed '" + prefix + "'. Users: "
            + String.join(", ", config.users()) + ". Time zone: " + ZONE + ".");
        planner.addRecipes(Recipes.sampleCatalogue());
        out.println("Catalogue: 100 recipe-added events (28 breakfasts, 30 lunches, 12 snacks, 30 dinners).");
        out.println();
        out.println("Schedules, stored in the database (defining them again at start-up changes nothing):");
        out.printf("  %-24s %-16s %-16s %s%n", "schedule", "when (local)", "priority", "next run");
        for (PlannerJob job : PlannerJob.values()) {
          ScheduleInfo info = planner.queue().schedules().stream().filter(s -> s.name().equals(job.scheduleName())).findFirst().orElseThrow();
          out.printf("  %-24s %-16s %-16s %s%n", job.scheduleName(), job.when(),
              job.priority() + " (" + job.priority().toScheduler().value() + ")", DAY_TIME.format(info.nextRunAt().atZone(ZONE)));
        }
        out.println("At most " + config.maxConcurrentJobs() + " jobs run at once (a limit stored in the database); a failed job is retried"
            + " after 60 s, 120 s and 240 s, then FAILED.");
        out.println();

        planner.start();
        Simulation sim = new Simulation(planner, clock);
        out.println("Simulating " + DAY_TIME.format(start.atZone(ZONE)) + " to " + DAY_TIME.format(end.atZone(ZONE))
            + ": the clock jumps to each due moment, the worker pool runs what is due.");
        out.println("The food diary is down on 11 March 09:50-10:30.");
        sim.runUntil(at("2025-03-12T09:00"));
        planner.setKillSwitch(true);
        int before = planner.queue().list(dev.fabula.scheduler.JobQuery.ALL.withLimit(10_000)).size();
        sim.runUntil(at("2025-03-12T13:00"));
        int during = planner.queue().list(dev.fabula.scheduler.JobQuery.ALL.withLimit(10_000)).size() - before;
        out.println("Kill switch ON on 12 March 09:00 (pauseAll, stored in the database): " + during + " jobs started until 13:00.");
        planner.setKillSwitch(false);
        sim.runUntil(end);
        out.println("Kill switch OFF at 13:00: the schedules went on. " + sim.steps() + " clock steps in "
            + (System.nanoTime() - t0) / 1_000_000 + " ms of real time.");
        out.println();

        printRuns(planner, out);
        printRetries(planner, out);
        printPlan(planner, out);
        printEvents(planner, out);
      });
    }
  }

  private static Instant at(String local) {
    return LocalDateTime.parse(local).atZone(ZONE).toInstant();
  }

  private static void printRuns(MealPlanner planner, PrintStream out) {
    out.println("Execution history per schedule (queue.scheduleHistory):");
    out.printf("  %-24s %5s %8s %7s %7s %9s%n", "schedule", "runs", "attempts", "failed", "missed", "avg time");
    for (PlannerJob job : PlannerJob.values()) {
      List<JobRun> history = planner.history(job);
      long runs = history.stream().filter(r -> r.outcome() != JobRun.Outcome.MISSED).map(JobRun::scheduledFor).distinct().count();
      long attempts = history.stream().filter(r -> r.outcome() != JobRun.Outcome.MISSED).count();
      long failed = history.stream().filter(r -> r.outcome() == JobRun.Outcome.FAILED).count();
      long missed = history.stream().filter(r -> r.outcome() == JobRun.Outcome.MISSED).count();
      double avg = history.stream().filter(r -> r.outcome() != JobRun.Outcome.MISSED).mapToLong(JobRun::durationMs).average().orElse(0);
      out.printf("  %-24s %5d %8d %7d %7d %6.0f ms%n", job.scheduleName(), runs, attempts, failed, missed, avg);
    }
    List<JobRun> syncs = planner.history(PlannerJob.AUTO_SYNC);
    syncs.stream().filter(r -> r.outcome() == JobRun.Outcome.MISSED).forEach(r -> out.println("  missed: the sync of "
        + DAY_TIME.format(r.scheduledFor().atZone(ZONE)) + ", held by the kill switch and superseded by the next one."));
    syncs.stream().filter(r -> r.scheduledFor().equals(at("2025-03-12T12:00"))).findFirst().ifPresent(r -> out.println(
        "  the sync of 12 March 12:00 ran late, once, at " + TIME.format(r.startedAt().atZone(ZONE)) + " (missed-run policy: run once)."));
    out.println();
  }

  private static void printRetries(MealPlanner planner, PrintStream out) {
    List<JobRun> attempts = planner.history(PlannerJob.AUTO_SYNC).stream()
        .filter(r -> at("2025-03-11T10:00").equals(r.scheduledFor())).collect(Collectors.toList());
    out.println("The sync of 11 March 10:00, while the diary was down:");
    Instant previousEnd = null;
    for (JobRun r : attempts) {
      String pause = previousEnd == null ? "" : " (" + Math.round(Duration.between(previousEnd, r.startedAt()).toMillis() / 1000.0) + " s after the failure)";
      out.printf("  attempt %d at %s%-26s %s, %d ms: %s%n", r.attempt(), TIME.format(r.startedAt().atZone(ZONE)), pause,
          r.outcome(), r.durationMs(), firstLine(r.error()));
      previousEnd = r.finishedAt();
    }
    attempts.stream().findFirst().flatMap(r -> planner.queue().job(r.jobId()))
        .ifPresent(j -> out.println("  the job is now " + j.state() + "; the next sync at 12:00 recorded the meals it had missed."));
    out.println();
  }

  private static String firstLine(String error) {
    if (error == null) {
      return "";
    }
    String line = error.lines().findFirst().orElse("");
    int cause = line.lastIndexOf("Exception: ");
    return cause >= 0 ? line.substring(cause + "Exception: ".length()) : line;
  }

  private static void printPlan(MealPlanner planner, PrintStream out) {
    String user = "ada";
    LocalDate week = LocalDate.of(2025, 3, 15);
    MealPlan.State state = planner.plan(user, week);
    MealPlanGenerated plan = state.plan();
    Map<String, String> names = planner.rotation().names();
    out.println("Plan of " + user + " for the week of " + DAY.format(week) + ", generated " + DAY_TIME.format(plan.generatedAt().atZone(ZONE))
        + " from the recipe-rotation read model:");
    out.printf("  %-10s %-23s %-23s %-23s %s%n", "day", "breakfast", "lunch", "snack", "dinner");
    for (int d = 0; d < PlanGenerator.DAYS; d++) {
      LocalDate date = week.plusDays(d);
      List<String> cells = new ArrayList<>();
      for (MealType type : MealType.values()) {
        PlanSlot slot = state.slot(date, type).orElseThrow();
        cells.add(slot.filled() ? cut(names.get(slot.recipeId()), 23) : "(empty)");
      }
      out.printf("  %-10s %-23s %-23s %-23s %s%n", DAY.format(date), cells.get(0), cells.get(1), cells.get(2), cells.get(3));
    }
    List<PlanSlot> empty = plan.slots().stream().filter(s -> !s.filled()).collect(Collectors.toList());
    if (!empty.isEmpty()) {
      out.println("  " + empty.size() + " empty slot(s): " + empty.get(0).note() + ".");
    }
    out.println("  The cooldown keeps a recipe away from a user's meal type for 30 days: with 12 snacks, week two runs short,");
    out.println("  and the planner leaves the slot empty rather than repeat one.");
    out.println();
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + ".";
  }

  private static void printEvents(MealPlanner planner, PrintStream out) {
    List<Object> events;
    Map<String, Integer> counts = new TreeMap<>();
    try (Stream<RecordedEvent> all = planner.store().readAll(LogQuery.after(0))) {
      events = all.peek(e -> counts.merge(e.type(), 1, Integer::sum)).map(e -> planner.store().types().decode(e))
          .collect(Collectors.toList());
    }
    out.println("The event log: " + events.size() + " events: " + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", ")) + ".");
    List<MealPlanGenerated> plans = events.stream().filter(MealPlanGenerated.class::isInstance).map(MealPlanGenerated.class::cast)
        .collect(Collectors.toList());
    int reuses = reuses(plans);
    out.println("Cooldown check over all " + plans.size() + " plans in the log: "
        + (reuses == 0 ? "no recipe was reused within 30 days." : reuses + " recipes were reused within 30 days!"));
    events.stream().filter(TrendsComputed.class::isInstance).map(TrendsComputed.class::cast).filter(t -> t.userId().equals("ada"))
        .reduce((a, b) -> b).ifPresent(t -> out.println("Trends of ada, " + DAY.format(t.from()) + " to " + DAY.format(t.to()) + ": "
            + t.cooked() + " meals cooked, " + t.skipped() + " skipped, " + t.distinctRecipes() + " different recipes."));
    events.stream().filter(AdviceGiven.class::isInstance).map(AdviceGiven.class::cast).filter(a -> a.userId().equals("ada"))
        .reduce((a, b) -> b).ifPresent(a -> out.println("Latest advice to ada (" + DAY.format(a.date()) + "): " + a.advice()));
    out.println("Most jobs running at once in this process: " + planner.maxConcurrentJobs() + " (limit "
        + planner.config().maxConcurrentJobs() + ").");
  }

  /** How many times a plan reused a recipe for a user and meal type within 30 days of its previous use. */
  static int reuses(List<MealPlanGenerated> plans) {
    Map<String, List<LocalDate>> uses = new TreeMap<>();
    for (MealPlanGenerated p : plans) {
      for (PlanSlot s : p.slots()) {
        if (s.filled()) {
          uses.computeIfAbsent(p.userId() + "/" + s.mealType() + "/" + s.recipeId(), k -> new ArrayList<>()).add(s.date());
        }
      }
    }
    int n = 0;
    for (List<LocalDate> dates : uses.values()) {
      List<LocalDate> sorted = dates.stream().sorted().collect(Collectors.toList());
      for (int i = 1; i < sorted.size(); i++) {
        if (ChronoUnit.DAYS.between(sorted.get(i - 1), sorted.get(i)) < 30) {
          n++;
        }
      }
    }
    return n;
  }
}
