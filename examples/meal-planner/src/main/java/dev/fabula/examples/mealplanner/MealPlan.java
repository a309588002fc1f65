package dev.fabula.examples.mealplanner;

import dev.fabula.Aggregate;
import dev.fabula.Decision;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealCooked;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealPlanGenerated;
import dev.fabula.examples.mealplanner.MealPlannerEvent.MealSkipped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One user's plan for one week, as a decider: it is generated once, then each planned meal is
 * recorded once as cooked or skipped. Stream {@code mealplan-<user>-<week start>}.
 *
 * <p>The rules make the jobs safe to run twice (jobs run at least once): a second generation of
 * the same week is rejected ({@code plan-exists}), and so is recording a meal again
 * ({@code already-recorded}).
 */
public final class MealPlan implements Aggregate<MealPlan.State, MealPlan.Command, MealPlannerEvent> {

  /** What became of a planned meal. */
  public enum Outcome {
    /** Cooked. */
    COOKED,
    /** Skipped. */
    SKIPPED
  }

  /**
   * A plan's state.
   *
   * @param plan the generated plan, or null before generation
   * @param outcomes what became of each meal recorded so far, by {@link #key}
   */
  public record State(@Nullable MealPlanGenerated plan, Map<String, Outcome> outcomes) {
    /** Copies the map. */
    public State {
      outcomes = Map.copyOf(outcomes);
    }

    /** The slot of a day and meal type, if the plan is generated and covers it. */
    public Optional<PlanSlot> slot(LocalDate date, MealType mealType) {
      if (plan == null) {
        return Optional.empty();
      }
      return plan.slots().stream().filter(s -> s.date().equals(date) && s.mealType() == mealType).findFirst();
    }

    /** What became of a meal, if recorded. */
    public Optional<Outcome> outcome(LocalDate date, MealType mealType) {
      return Optional.ofNullable(outcomes.get(key(date, mealType)));
    }
  }

  /** The commands. */
  public sealed interface Command {}

  /**
   * Generate the week's plan (the slots were chosen by {@link PlanGenerator}).
   *
   * @param userId the user
   * @param weekStart the first day
   * @param at now
   * @param slots the chosen slots
   */
  public record GeneratePlan(String userId, LocalDate weekStart, Instant at, List<PlanSlot> slots) implements Command {}

  /**
   * Record what the food diary says about a planned meal.
   *
   * @param userId the user
   * @param date the day
   * @param mealType the meal
   * @param cooked whether it was cooked
   * @param reason why not, when skipped
   */
  public record RecordMeal(String userId, LocalDate date, MealType mealType, boolean cooked, String reason) implements Command {}

  /** The aggregate id of a user's week: {@code <user>-<week start>}. */
  public static String id(String userId, LocalDate weekStart) {
    return userId + "-" + weekStart;
  }

  /** The key of a meal in {@link State#outcomes()}. */
  public static String key(LocalDate date, MealType mealType) {
    return date + "/" + mealType;
  }

  @Override
  public String category() {
    return "mealplan";
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public Class<MealPlannerEvent> eventType() {
    return MealPlannerEvent.class;
  }

  @Override
  public State initialState() {
    return new State(null, Map.of());
  }

  @Override
  public State evolve(State state, MealPlannerEvent event) {
    if (event instanceof MealPlanGenerated generated) {
      return new State(generated, state.outcomes());
    }
    Map<String, Outcome> outcomes = new HashMap<>(state.outcomes());
    if (event instanceof MealCooked cooked) {
      outcomes.put(key(cooked.date(), cooked.mealType()), Outcome.COOKED);
    } else if (event instanceof MealSkipped skipped) {
      outcomes.put(key(skipped.date(), skipped.mealType()), Outcome.SKIPPED);
    } else {
      throw new IllegalArgumentException("a meal plan has no event " + event);
    }
    return new State(state.plan(), outcomes);
  }

  @Override
  public Decision<MealPlannerEvent> decide(State state, Command command) {
    if (command instanceof GeneratePlan generate) {
      if (state.plan() != null) {
        return Decision.reject("plan-exists", "the plan of " + generate.userId() + " for the week of "
            + generate.weekStart() + " was generated at " + state.plan().generatedAt());
      }
      return Decision.accept(new MealPlanGenerated(generate.userId(), generate.weekStart(), generate.at(), generate.slots()));
    }
    if (command instanceof RecordMeal meal) {
      if (state.plan() == null) {
        return Decision.reject("no-plan", "there is no plan for " + meal.date());
      }
      Optional<PlanSlot> slot = state.slot(meal.date(), meal.mealType());
      if (slot.isEmpty() || !slot.get().filled()) {
        return Decision.reject("empty-slot", "nothing was planned for " + meal.mealType().label() + " on " + meal.date());
      }
      if (state.outcome(meal.date(), meal.mealType()).isPresent()) {
        return Decision.reject("already-recorded", meal.mealType().label() + " on " + meal.date() + " is already recorded");
      }
      String recipe = slot.get().recipeId();
      return meal.cooked()
          ? Decision.accept(new MealCooked(meal.userId(), meal.date(), meal.mealType(), recipe))
          : Decision.accept(new MealSkipped(meal.userId(), meal.date(), meal.mealType(), recipe, meal.reason()));
    }
    throw new IllegalArgumentException("unknown command " + command);
  }
}
