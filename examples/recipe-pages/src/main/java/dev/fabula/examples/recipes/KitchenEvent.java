package dev.fabula.examples.recipes;

import dev.fabula.EventType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The domain events of the recipe and meal-plan app. Streams: {@code recipe-<id>} (a recipe and its
 * ratings), {@code meal-<id>} (one planned meal) and {@code shopping-<id>} (an item added to a
 * week's shopping list by hand).
 *
 * <p>Events that describe a thing ({@link RecipeCreated}, {@link RecipeUpdated}, {@link
 * MealPlanned}, {@link ShoppingItemAdded}) carry its whole state, and every projection applies them
 * as "it is now this". That makes applying one twice harmless, which the migration relies on: a
 * row changed while the backfill ran is both imported and captured (see {@link Migration}).
 */
public sealed interface KitchenEvent {

  /** The stream the event belongs to. */
  String streamId();

  /**
   * A recipe was created (or imported from the legacy table).
   *
   * @param recipeId the legacy id
   * @param title the title
   * @param cuisine such as {@code Italian}
   * @param difficulty {@code easy}, {@code medium} or {@code hard}
   * @param prepMinutes active preparation time
   * @param cookMinutes cooking time
   * @param tags the tags, sorted
   * @param ingredients the ingredients per serving
   */
  @EventType("recipe-created")
  record RecipeCreated(long recipeId, String title, String cuisine, String difficulty, int prepMinutes,
      int cookMinutes, List<String> tags, List<Ingredient> ingredients) implements KitchenEvent {
    /** Copies the lists. */
    public RecipeCreated {
      tags = List.copyOf(tags);
      ingredients = List.copyOf(ingredients);
    }

    @Override
    public String streamId() {
      return "recipe-" + recipeId;
    }
  }

  /**
   * A recipe's card and ingredients changed (its tags change with {@link RecipeTagged} and {@link
   * RecipeUntagged}).
   *
   * @param recipeId the legacy id
   * @param title the title
   * @param cuisine the cuisine
   * @param difficulty the difficulty
   * @param prepMinutes active preparation time
   * @param cookMinutes cooking time
   * @param ingredients the ingredients per serving
   */
  @EventType("recipe-updated")
  record RecipeUpdated(long recipeId, String title, String cuisine, String difficulty, int prepMinutes,
      int cookMinutes, List<Ingredient> ingredients) implements KitchenEvent {
    /** Copies the list. */
    public RecipeUpdated {
      ingredients = List.copyOf(ingredients);
    }

    @Override
    public String streamId() {
      return "recipe-" + recipeId;
    }
  }

  /**
   * A tag was added to a recipe.
   *
   * @param recipeId the recipe
   * @param tag the tag
   */
  @EventType("recipe-tagged")
  record RecipeTagged(long recipeId, String tag) implements KitchenEvent {
    @Override
    public String streamId() {
      return "recipe-" + recipeId;
    }
  }

  /**
   * A tag was removed from a recipe.
   *
   * @param recipeId the recipe
   * @param tag the tag
   */
  @EventType("recipe-untagged")
  record RecipeUntagged(long recipeId, String tag) implements KitchenEvent {
    @Override
    public String streamId() {
      return "recipe-" + recipeId;
    }
  }

  /**
   * A recipe was deleted (the legacy app soft-deletes: it sets {@code deleted_at}).
   *
   * @param recipeId the recipe
   */
  @EventType("recipe-deleted")
  record RecipeDeleted(long recipeId) implements KitchenEvent {
    @Override
    public String streamId() {
      return "recipe-" + recipeId;
    }
  }

  /**
   * A user rated a recipe; a second rating by the same user replaces the first.
   *
   * @param recipeId the recipe
   * @param userId who rated
   * @param stars 1 to 5
   */
  @EventType("recipe-rated")
  record RecipeRated(long recipeId, String userId, int stars) implements KitchenEvent {
    @Override
    public String streamId() {
      return "recipe-" + recipeId;
    }
  }

  /**
   * A user took their rating back.
   *
   * @param recipeId the recipe
   * @param userId who had rated
   */
  @EventType("rating-withdrawn")
  record RatingWithdrawn(long recipeId, String userId) implements KitchenEvent {
    @Override
    public String streamId() {
      return "recipe-" + recipeId;
    }
  }

  /**
   * A meal was planned (or re-planned: another day, recipe or number of servings).
   *
   * @param mealId the legacy id
   * @param date the day
   * @param mealType {@code breakfast}, {@code lunch} or {@code dinner}
   * @param recipeId the recipe
   * @param servings how many people
   */
  @EventType("meal-planned")
  record MealPlanned(long mealId, LocalDate date, String mealType, long recipeId, int servings)
      implements KitchenEvent {
    @Override
    public String streamId() {
      return "meal-" + mealId;
    }
  }

  /**
   * A planned meal was cooked.
   *
   * @param mealId the meal
   */
  @EventType("meal-cooked")
  record MealCooked(long mealId) implements KitchenEvent {
    @Override
    public String streamId() {
      return "meal-" + mealId;
    }
  }

  /**
   * A meal was taken off the plan.
   *
   * @param mealId the meal
   */
  @EventType("meal-unplanned")
  record MealUnplanned(long mealId) implements KitchenEvent {
    @Override
    public String streamId() {
      return "meal-" + mealId;
    }
  }

  /**
   * An item was put on a week's shopping list by hand (or changed).
   *
   * @param itemId the legacy id
   * @param weekStart the Monday of the week
   * @param name what to buy
   * @param quantity how much
   * @param unit the unit
   * @param category the aisle
   */
  @EventType("shopping-item-added")
  record ShoppingItemAdded(long itemId, LocalDate weekStart, String name, BigDecimal quantity, String unit,
      String category) implements KitchenEvent {
    @Override
    public String streamId() {
      return "shopping-" + itemId;
    }
  }

  /**
   * A hand-added item was removed from the shopping list.
   *
   * @param itemId the item
   */
  @EventType("shopping-item-removed")
  record ShoppingItemRemoved(long itemId) implements KitchenEvent {
    @Override
    public String streamId() {
      return "shopping-" + itemId;
    }
  }
}
