package dev.fabula.examples.mealplanner;

import dev.fabula.AggregateRepository;
import dev.fabula.CommandResult;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.examples.mealplanner.MealPlannerEvent.AdviceGiven;
import dev.fabula.examples.mealplanner.MealPlannerEvent.DiarySynced;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealCooked;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealSkipped;
import dev.fabula.examples.mealplanner.MealPlannerEvent.TrendsComputed;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projections;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobResult;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The handlers of the four {@link PlannerJob}s. Each works on the day of the schedule occurrence
 * it runs for (in the planner's zone), not on the time it happens to run, so a late or retried run
 * does the same work. Each is safe to run again: the {@link MealPlan} decider rejects a second
 * plan and a second record of a meal, and advice and trends are appended with event ids derived
 * from their day, which the store treats as idempotent retries.
 */
final class PlannerJobs {
  /** Plans start on Saturdays: generated on Friday morning, shopped for on Saturday. */
  static final DayOfWeek WEEK_START = DayOfWeek.SATURDAY;
  /** A meal is synced once it is this long past its usual time. */
  static final Duration SYNC_AFTER = Duration.ofHours(1);

  private final JdbcEventStore store;
  private final Projections projections;
  private final RecipeRotation rotation;
  private final AggregateRepository<MealPlan.State, MealPlan.Command, MealPlannerEvent> plans;
  private final FoodDiary diary;
  private final MealPlannerConfig config;
  private final PlanGenerator generator;
  private final ZoneId zone;

  PlannerJobs(JdbcEventStore store, Projections projections, RecipeRotation rotation,
      AggregateRepository<MealPlan.State, MealPlan.Command, MealPlannerEvent> plans, FoodDiary diary,
      MealPlannerConfig config) {
    this.store = store;
    this.projections = projections;
    this.rotation = rotation;
    this.plans = plans;
    this.diary = diary;
    this.config = config;
    this.generator = new PlanGenerator(config.cooldownDays());
    this.zone = config.zone();
  }

  /** The Saturday on or before {@code date}: the start of the plan that covers it. */
  static LocalDate weekStartOf(LocalDate date) {
    return date.with(TemporalAdjusters.previousOrSame(WEEK_START));
  }

  private Instant occurrence(JobContext ctx) {
    return ctx.scheduledFor().orElseGet(() -> ctx.clock().instant());
  }

  private LocalDate day(JobContext ctx) {
    return LocalDate.ofInstant(occurrence(ctx), zone);
  }

  /** The payload of a manual plan generation: one user (or all), one week (or next week). */
  record GenerateRequest(@Nullable String userId, @Nullable LocalDate weekStart) {}

  /**
   * Generates next week's plan for every user: reads the rotation read model (after waiting for it
   * to catch up with the log), chooses the slots, and appends {@code MealPlanGenerated} through the
   * {@link MealPlan} decider.
   */
  JobResult generate(JobContext ctx) {
    LocalDate weekStart = day(ctx).with(TemporalAdjusters.next(WEEK_START));
    List<String> users = config.users();
    if (!ctx.payload().equals("{}")) {
      GenerateRequest request = ctx.payload(GenerateRequest.class);
      if (request.userId() != null) {
        users = List.of(request.userId());
      }
      if (request.weekStart() != null) {
        weekStart = request.weekStart();
      }
    }
    // Read your writes: the read model must include every plan appended so far.
    projections.awaitPosition(rotation.projection().id(), store.headPosition(), Duration.ofSeconds(30));
    Map<MealType, List<String>> recipes = rotation.recipes();
    int generated = 0;
    int empty = 0;
    for (String user : users) {
      List<PlanSlot> slots = generator.plan(weekStart, recipes, rotation.lastUses(user));
      CommandResult<MealPlannerEvent> result = plans.handle(MealPlan.id(user, weekStart),
          new MealPlan.GeneratePlan(user, weekStart, ctx.clock().instant(), slots));
      if (result.accepted()) {
        generated++;
        empty += (int) slots.stream().filter(s -> !s.filled()).count();
      }
    }
    return JobResult.success("{\"weekStart\":\"" + weekStart + "\",\"plans\":" + generated + ",\"emptySlots\":" + empty + "}");
  }

  /**
   * Records, from the food diary, every planned meal of this week and last week that is at least
   * {@link #SYNC_AFTER} past its usual time and not recorded yet. A diary outage throws: the
   * scheduler retries after 60, 120 and 240 seconds.
   */
  JobResult sync(JobContext ctx) {
    Instant occurrence = occurrence(ctx);
    LocalDate today = day(ctx);
    int cooked = 0;
    int skipped = 0;
    for (String user : config.users()) {
      for (LocalDate weekStart : List.of(weekStartOf(today).minusWeeks(1), weekStartOf(today))) {
        String id = MealPlan.id(user, weekStart);
        MealPlan.State state = plans.load(id).state();
        if (state.plan() == null) {
          continue;
        }
        for (PlanSlot slot : state.plan().slots()) {
          Instant due = slot.date().atTime(slot.mealType().usualTime()).atZone(zone).toInstant().plus(SYNC_AFTER);
          if (!slot.filled() || due.isAfter(occurrence) || state.outcome(slot.date(), slot.mealType()).isPresent()) {
            continue;
          }
          String reason = diary.skippedBecause(user, slot.date(), slot.mealType(), slot.recipeId());
          CommandResult<MealPlannerEvent> result = plans.handle(id,
              new MealPlan.RecordMeal(user, slot.date(), slot.mealType(), reason == null, reason == null ? "" : reason));
          if (result.accepted()) {
            if (reason == null) {
              cooked++;
            } else {
              skipped++;
            }
          }
        }
      }
    }
    store.append("sync-" + today, ExpectedVersion.any(), List.of(EventData.of(new DiarySynced(occurrence, cooked, skipped))));
    return JobResult.success("{\"cooked\":" + cooked + ",\"skipped\":" + skipped + "}");
  }

  /** Tells each user what tomorrow's plan holds, and what is missing from it. */
  JobResult advise(JobContext ctx) {
    LocalDate today = day(ctx);
    LocalDate tomorrow = today.plusDays(1);
    Map<String, String> names = rotation.names();
    for (String user : config.users()) {
      MealPlan.State state = plans.load(MealPlan.id(user, weekStartOf(tomorrow))).state();
      String advice;
      if (state.plan() == null) {
        advice = "No plan covers " + tomorrow + " yet; it is generated on Friday morning.";
      } else {
        List<String> parts = new ArrayList<>();
        for (MealType type : MealType.values()) {
          PlanSlot slot = state.slot(tomorrow, type).orElseThrow();
          parts.add(type.label() + ": " + (slot.filled() ? names.getOrDefault(slot.recipeId(), slot.recipeId()) : "nothing planned, pick one yourself"));
        }
        advice = "Tomorrow (" + tomorrow.getDayOfWeek().toString().toLowerCase(java.util.Locale.ROOT) + ") " + String.join("; ", parts) + ".";
      }
      AdviceGiven event = new AdviceGiven(user, today, advice);
      store.append("advice-" + user, ExpectedVersion.any(),
          List.of(EventData.of(event).withEventId(idOf("advice/" + user + "/" + today))));
    }
    return JobResult.success();
  }

  /** Counts each user's cooked and skipped meals of the seven days before the occurrence's day. */
  JobResult trends(JobContext ctx) {
    LocalDate to = day(ctx).minusDays(1);
    LocalDate from = to.minusDays(6);
    for (String user : config.users()) {
      int cooked = 0;
      int skipped = 0;
      Set<String> recipes = new HashSet<>();
      for (LocalDate weekStart : List.of(weekStartOf(from), weekStartOf(to)).stream().distinct().toList()) {
        for (var entry : plans.history(MealPlan.id(user, weekStart))) {
          Object e = entry.event();
          if (e instanceof MealCooked c && within(c.date(), from, to)) {
            cooked++;
            recipes.add(c.recipeId());
          } else if (e instanceof MealSkipped s && within(s.date(), from, to)) {
            skipped++;
          }
        }
      }
      TrendsComputed event = new TrendsComputed(user, from, to, cooked, skipped, recipes.size());
      store.append("trends-" + user, ExpectedVersion.any(),
          List.of(EventData.of(event).withEventId(idOf("trends/" + user + "/" + to))));
    }
    return JobResult.success();
  }

  private static boolean within(LocalDate d, LocalDate from, LocalDate to) {
    return !d.isBefore(from) && !d.isAfter(to);
  }

  private static UUID idOf(String key) {
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
  }
}
