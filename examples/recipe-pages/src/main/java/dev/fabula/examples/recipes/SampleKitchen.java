package dev.fabula.examples.recipes;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The household the tour and the tests use: what the old app's tables hold before the migration,
 * and the few writes the old app makes while it runs. Recipe ids 1–6 and meal ids 1–8 follow the
 * order of creation.
 */
public final class SampleKitchen {

  /** The day the tour pretends it is: a Wednesday. */
  public static final LocalDate TODAY = LocalDate.of(2025, 10, 29);
  /** The Monday of {@link #TODAY}'s week. */
  public static final LocalDate WEEK = LocalDate.of(2025, 10, 27);

  /** Recipe ids. */
  public static final long SHAKSHUKA = 1;
  /** Recipe id. */
  public static final long PAD_THAI = 2;
  /** Recipe id. */
  public static final long LASAGNA = 3;
  /** Recipe id. */
  public static final long CAPRESE = 4;
  /** Recipe id. */
  public static final long MISO_SOUP = 5;
  /** Recipe id of a recipe deleted before the migration. */
  public static final long FRUITCAKE = 6;
  /** The meal id of today's breakfast. */
  public static final long TODAYS_BREAKFAST = 4;

  private SampleKitchen() {}

  private static Ingredient i(String name, String quantity, String unit, String category) {
    return new Ingredient(name, new BigDecimal(quantity), unit, category);
  }

  /** Fills the old app's tables through its own CRUD code: 6 recipes, 11 ratings, 8 meals, 2 items. */
  public static void seed(LegacyApp old) {
    old.createRecipe("Shakshuka", "Middle Eastern", "easy", 10, 20, List.of("brunch", "vegetarian"),
        List.of(i("egg", "2", "pc", "dairy"), i("tomato", "150", "g", "produce"), i("onion", "0.5", "pc", "produce")));
    old.createRecipe("Pad Thai", "Thai", "medium", 20, 15, List.of("noodles"),
        List.of(i("rice noodles", "100", "g", "pantry"), i("egg", "1", "pc", "dairy"), i("tofu", "80", "g", "protein")));
    old.createRecipe("Lasagna", "Italian", "hard", 45, 60, List.of("comfort", "oven"),
        List.of(i("pasta sheets", "60", "g", "pantry"), i("minced beef", "125", "g", "protein"),
            i("tomato", "100", "g", "produce"), i("cheese", "40", "g", "dairy")));
    old.createRecipe("Caprese salad", "Italian", "easy", 10, 0, List.of("quick", "vegetarian"),
        List.of(i("tomato", "120", "g", "produce"), i("mozzarella", "60", "g", "dairy"), i("basil", "5", "g", "produce")));
    old.createRecipe("Miso soup", "Japanese", "easy", 5, 10, List.of("quick", "vegan"),
        List.of(i("tofu", "50", "g", "protein"), i("miso", "20", "g", "pantry")));
    old.createRecipe("Fruitcake", "British", "medium", 30, 90, List.of("baking"),
        List.of(i("dried fruit", "80", "g", "pantry"), i("flour", "50", "g", "pantry")));
    old.deleteRecipe(FRUITCAKE);

    old.rate(SHAKSHUKA, "ana", 5);
    old.rate(SHAKSHUKA, "ben", 4);
    old.rate(SHAKSHUKA, "chloe", 4);
    old.rate(PAD_THAI, "ana", 3);
    old.rate(PAD_THAI, "ben", 5);
    old.rate(LASAGNA, "ana", 5);
    old.rate(LASAGNA, "ben", 5);
    old.rate(LASAGNA, "chloe", 4);
    old.rate(LASAGNA, "dan", 2);
    old.rate(CAPRESE, "chloe", 4);
    old.rate(FRUITCAKE, "ben", 2);

    old.cookMeal(old.planMeal(LocalDate.of(2025, 10, 24), "dinner", PAD_THAI, 2));
    old.cookMeal(old.planMeal(WEEK, "dinner", LASAGNA, 4));
    old.cookMeal(old.planMeal(WEEK.plusDays(1), "dinner", PAD_THAI, 2));
    old.planMeal(TODAY, "breakfast", SHAKSHUKA, 2);
    old.planMeal(TODAY, "lunch", CAPRESE, 2);
    old.planMeal(TODAY, "dinner", LASAGNA, 4);
    old.planMeal(TODAY.plusDays(1), "dinner", MISO_SOUP, 2);
    old.planMeal(WEEK.plusDays(5), "dinner", SHAKSHUKA, 3);

    old.addShoppingItem(WEEK, "coffee", new BigDecimal("250"), "g", "pantry");
    old.addShoppingItem(WEEK, "tomato", new BigDecimal("200"), "g", "produce");
  }

  /** What the old app writes while the backfill runs (after capture was installed). */
  public static void writesDuringBackfill(LegacyApp old) {
    old.rate(MISO_SOUP, "dan", 4);
    old.tagRecipe(PAD_THAI, "spicy");
  }

  /** What the old app writes after the backfill, before the pages are built. */
  public static void writesAfterBackfill(LegacyApp old) {
    old.cookMeal(TODAYS_BREAKFAST);
  }

  /** The old app changes a recipe and deletes another, once the pages serve. */
  public static void updateAndDelete(LegacyApp old) {
    old.updateRecipe(CAPRESE, "Caprese with burrata", "Italian", "easy", 15, 10,
        List.of(i("tomato", "150", "g", "produce"), i("burrata", "100", "g", "dairy"), i("basil", "5", "g", "produce")));
    old.deleteRecipe(LASAGNA);
  }
}
