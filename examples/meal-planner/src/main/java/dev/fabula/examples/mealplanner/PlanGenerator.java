package dev.fabula.examples.mealplanner;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Chooses a week's recipes under the rotation rule: a recipe is never planned for the same user
 * and meal type within {@code cooldownDays} days of its last use. Pure: the last uses come from
 * the {@link RecipeRotation} read model.
 *
 * <p>Among the eligible recipes it takes the least recently used (never used first, then the
 * oldest last use, then the recipe id), so the catalogue is rotated evenly and the choice is
 * deterministic.
 *
 * <p><b>When no recipe is eligible</b> the slot is left empty with a reason that names the day
 * the first recipe frees up. We decided against reusing the least recently used recipe and
 * flagging it: the rule is the promise made to users, and an empty slot is visible and easy to
 * fill by hand, while a silent repeat is the complaint the rule exists to prevent.
 */
public final class PlanGenerator {
  /** Days in a plan. */
  public static final int DAYS = 7;

  private final int cooldownDays;

  /** A generator with a cooldown of {@code cooldownDays} days (the team's rule: 30). */
  public PlanGenerator(int cooldownDays) {
    if (cooldownDays < 1) {
      throw new IllegalArgumentException("cooldownDays must be 1 or more but was " + cooldownDays);
    }
    this.cooldownDays = cooldownDays;
  }

  /** The cooldown in days. */
  public int cooldownDays() {
    return cooldownDays;
  }

  /**
   * The slots of the week starting {@code weekStart}, by day then meal type.
   *
   * @param weekStart the first day
   * @param recipes the catalogue: recipe ids per meal type
   * @param lastUses the user's last use of each recipe per meal type (absent: never used)
   */
  public List<PlanSlot> plan(LocalDate weekStart, Map<MealType, List<String>> recipes,
      Map<MealType, Map<String, LocalDate>> lastUses) {
    Map<MealType, Map<String, LocalDate>> used = new HashMap<>();
    for (MealType type : MealType.values()) {
      used.put(type, new HashMap<>(lastUses.getOrDefault(type, Map.of())));
    }
    List<PlanSlot> slots = new ArrayList<>(DAYS * MealType.values().length);
    for (int d = 0; d < DAYS; d++) {
      LocalDate date = weekStart.plusDays(d);
      for (MealType type : MealType.values()) {
        List<String> all = recipes.getOrDefault(type, List.of());
        Map<String, LocalDate> last = used.get(type);
        String chosen = all.stream()
            .filter(r -> eligible(last.get(r), date))
            .min(Comparator.comparing((String r) -> last.get(r), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Comparator.naturalOrder()))
            .orElse(null);
        if (chosen != null) {
          last.put(chosen, date);
          slots.add(new PlanSlot(date, type, chosen, null));
        } else {
          slots.add(new PlanSlot(date, type, null, emptyReason(type, all, last)));
        }
      }
    }
    return slots;
  }

  /** Whether a recipe last used on {@code last} may be planned on {@code date}. */
  public boolean eligible(@Nullable LocalDate last, LocalDate date) {
    return last == null || Math.abs(ChronoUnit.DAYS.between(last, date)) >= cooldownDays;
  }

  private String emptyReason(MealType type, List<String> all, Map<String, LocalDate> last) {
    if (all.isEmpty()) {
      return "no " + type.label() + " recipe in the catalogue";
    }
    LocalDate freesUp = all.stream().map(last::get).min(Comparator.naturalOrder()).orElseThrow().plusDays(cooldownDays);
    return "no eligible " + type.label() + " recipe: all " + all.size() + " were used in the last " + cooldownDays
        + " days; the first frees up on " + freesUp;
  }
}
