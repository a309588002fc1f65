package dev.fabula.examples.mealplanner;

import dev.fabula.examples.mealplanner.MealPlannerEvent.RecipeAdded;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A sample catalogue: dish names combined with variations, as many as asked per meal type. */
public final class Recipes {
  private static final Map<MealType, List<String>> DISHES = Map.of(
      MealType.BREAKFAST, List.of("Overnight oats", "Shakshuka", "Bircher muesli", "Banana pancakes", "Avocado toast",
          "Porridge", "Yoghurt bowl"),
      MealType.LUNCH, List.of("Lentil soup", "Caesar salad", "Falafel wrap", "Minestrone", "Poke bowl", "Quiche",
          "Ramen"),
      MealType.SNACK, List.of("Hummus & carrots", "Trail mix", "Apple & nut butter", "Rice cakes"),
      MealType.DINNER, List.of("Chili sin carne", "Risotto", "Dal with rice", "Stir-fried tofu", "Lasagne",
          "Fish tacos", "Vegetable curry"));
  private static final List<String> VARIANTS = List.of("", " verde", " rosso", " light", " deluxe", " classic");

  private Recipes() {}

  /**
   * {@code count} recipes of {@code type}, with ids {@code <type>-01}, {@code <type>-02}, …
   * (breakfast-01 first).
   */
  public static List<RecipeAdded> of(MealType type, int count) {
    List<String> dishes = DISHES.get(type);
    List<RecipeAdded> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = dishes.get(i % dishes.size()) + VARIANTS.get((i / dishes.size()) % VARIANTS.size());
      out.add(new RecipeAdded(String.format("%s%02d", type.label(), i + 1), name, type));
    }
    return out;
  }

  /**
   * The catalogue of the tour and the tests: 28 breakfasts, 30 lunches, 30 dinners (a month of
   * plans without a repeat) but only 12 snacks, so that the 30-day cooldown runs out in week two.
   */
  public static List<RecipeAdded> sampleCatalogue() {
    List<RecipeAdded> all = new ArrayList<>();
    all.addAll(of(MealType.BREAKFAST, 28));
    all.addAll(of(MealType.LUNCH, 30));
    all.addAll(of(MealType.SNACK, 12));
    all.addAll(of(MealType.DINNER, 30));
    return all;
  }
}
