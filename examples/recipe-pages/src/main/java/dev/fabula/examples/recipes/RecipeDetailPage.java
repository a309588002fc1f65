package dev.fabula.examples.recipes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.EventTypes;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.recipes.KitchenEvent.RatingWithdrawn;
import dev.fabula.examples.recipes.KitchenEvent.RecipeCreated;
import dev.fabula.examples.recipes.KitchenEvent.RecipeDeleted;
import dev.fabula.examples.recipes.KitchenEvent.RecipeRated;
import dev.fabula.examples.recipes.KitchenEvent.RecipeTagged;
import dev.fabula.examples.recipes.KitchenEvent.RecipeUntagged;
import dev.fabula.examples.recipes.KitchenEvent.RecipeUpdated;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The recipe detail page: the full recipe and its aggregated ratings.
 *
 * <ul>
 *   <li>{@code detail_recipes}: one row per (not deleted) recipe, ingredients as JSON;
 *   <li>{@code detail_ratings}: each user's current rating (a second rating replaces the first);
 *   <li>{@code detail_rating_summary}: count, average (2 decimals) and the distribution over 1–5
 *       stars, recomputed for the recipes a batch touched, so the page never groups at read time.
 * </ul>
 */
public final class RecipeDetailPage {

  /** The projection's name (its checkpoint). */
  public static final String NAME = "recipe-detail";

  /** The page's tables, without prefix. */
  public static final List<String> TABLES = List.of("detail_recipes", "detail_ratings", "detail_rating_summary");

  private static final TypeReference<List<Ingredient>> INGREDIENTS = new TypeReference<>() {};

  private RecipeDetailPage() {}

  /**
   * A recipe's ratings.
   *
   * @param count how many users rated it
   * @param average the average stars, rounded to 2 decimals; 0 when nobody rated it
   * @param distribution how many ratings of 1, 2, 3, 4 and 5 stars (five entries)
   */
  public record Ratings(int count, BigDecimal average, List<Integer> distribution) {
    /** No ratings. */
    public static final Ratings NONE = new Ratings(0, BigDecimal.ZERO, List.of(0, 0, 0, 0, 0));

    /** Copies the distribution and strips the average's trailing zeros. */
    public Ratings {
      distribution = List.copyOf(distribution);
      average = Rows.plain(average);
    }
  }

  /**
   * The page.
   *
   * @param recipeId the recipe
   * @param title the title
   * @param cuisine the cuisine
   * @param difficulty the difficulty
   * @param prepMinutes preparation time
   * @param cookMinutes cooking time
   * @param tags the tags, sorted
   * @param ingredients the ingredients per serving
   * @param ratings the aggregated ratings
   */
  public record View(long recipeId, String title, String cuisine, String difficulty, int prepMinutes, int cookMinutes,
      List<String> tags, List<Ingredient> ingredients, Ratings ratings) {
    /** Copies the lists. */
    public View {
      tags = List.copyOf(tags);
      ingredients = List.copyOf(ingredients);
    }
  }

  /** Creates the page's tables unless they exist. */
  static void createTables(Handle h, Tables t) {
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}detail_recipes (recipe_id BIGINT PRIMARY KEY, title TEXT NOT NULL, "
        + "cuisine TEXT NOT NULL, difficulty TEXT NOT NULL, prep_minutes INTEGER NOT NULL, cook_minutes INTEGER NOT NULL, "
        + "tags TEXT NOT NULL, ingredients TEXT NOT NULL)"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}detail_ratings (recipe_id BIGINT NOT NULL, user_id TEXT NOT NULL, "
        + "stars INTEGER NOT NULL, PRIMARY KEY (recipe_id, user_id))"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}detail_rating_summary (recipe_id BIGINT PRIMARY KEY, "
        + "rating_count INTEGER NOT NULL, average NUMERIC(4,2) NOT NULL, stars_1 INTEGER NOT NULL, "
        + "stars_2 INTEGER NOT NULL, stars_3 INTEGER NOT NULL, stars_4 INTEGER NOT NULL, stars_5 INTEGER NOT NULL)"));
  }

  /** The projection that keeps the page's tables, in the checkpoint's transaction. */
  static Projection projection(Tables t, EventTypes types) {
    ObjectMapper json = types.mapper();
    return Projection.transactional(NAME, (h, events) -> {
          TreeSet<Long> rated = new TreeSet<>();
          for (RecordedEvent e : events) {
            apply(h, t, json, (KitchenEvent) types.decode(e), rated);
          }
          for (long recipeId : rated) {
            summarise(h, t, recipeId);
          }
        })
        .withFilter(EventFilter.ofCategories("recipe"))
        .withReset(h -> TABLES.forEach(table -> h.execute("DELETE FROM " + t.table(table))));
  }

  private static void apply(Handle h, Tables t, ObjectMapper json, KitchenEvent event, TreeSet<Long> rated)
      throws JsonProcessingException {
    if (event instanceof RecipeCreated c) {
      h.createUpdate(t.sql("INSERT INTO {p}detail_recipes (recipe_id, title, cuisine, difficulty, prep_minutes, "
              + "cook_minutes, tags, ingredients) VALUES (:id, :title, :cuisine, :difficulty, :prep, :cook, :tags, "
              + ":ingredients) ON CONFLICT (recipe_id) DO UPDATE SET title = excluded.title, cuisine = excluded.cuisine, "
              + "difficulty = excluded.difficulty, prep_minutes = excluded.prep_minutes, "
              + "cook_minutes = excluded.cook_minutes, tags = excluded.tags, ingredients = excluded.ingredients"))
          .bind("id", c.recipeId()).bind("title", c.title()).bind("cuisine", c.cuisine())
          .bind("difficulty", c.difficulty()).bind("prep", c.prepMinutes()).bind("cook", c.cookMinutes())
          .bind("tags", String.join(",", new TreeSet<>(c.tags())))
          .bind("ingredients", json.writeValueAsString(c.ingredients())).execute();
    } else if (event instanceof RecipeUpdated u) {
      h.createUpdate(t.sql("UPDATE {p}detail_recipes SET title = :title, cuisine = :cuisine, difficulty = :difficulty, "
              + "prep_minutes = :prep, cook_minutes = :cook, ingredients = :ingredients WHERE recipe_id = :id"))
          .bind("id", u.recipeId()).bind("title", u.title()).bind("cuisine", u.cuisine())
          .bind("difficulty", u.difficulty()).bind("prep", u.prepMinutes()).bind("cook", u.cookMinutes())
          .bind("ingredients", json.writeValueAsString(u.ingredients())).execute();
    } else if (event instanceof RecipeTagged tagged) {
      retag(h, t, tagged.recipeId(), tagged.tag(), true);
    } else if (event instanceof RecipeUntagged untagged) {
      retag(h, t, untagged.recipeId(), untagged.tag(), false);
    } else if (event instanceof RecipeDeleted d) {
      h.execute(t.sql("DELETE FROM {p}detail_recipes WHERE recipe_id = ?"), d.recipeId());
    } else if (event instanceof RecipeRated r) {
      h.execute(t.sql("INSERT INTO {p}detail_ratings (recipe_id, user_id, stars) VALUES (?, ?, ?) "
          + "ON CONFLICT (recipe_id, user_id) DO UPDATE SET stars = excluded.stars"), r.recipeId(), r.userId(), r.stars());
      rated.add(r.recipeId());
    } else if (event instanceof RatingWithdrawn w) {
      h.execute(t.sql("DELETE FROM {p}detail_ratings WHERE recipe_id = ? AND user_id = ?"), w.recipeId(), w.userId());
      rated.add(w.recipeId());
    }
  }

  private static void retag(Handle h, Tables t, long recipeId, String tag, boolean add) {
    Optional<String> current = h.createQuery(t.sql("SELECT tags FROM {p}detail_recipes WHERE recipe_id = ?"))
        .bind(0, recipeId).mapTo(String.class).findOne();
    if (current.isEmpty()) {
      return;
    }
    TreeSet<String> tags = new TreeSet<>(RecipeListPage.splitTags(current.get()));
    if (add) {
      tags.add(tag);
    } else {
      tags.remove(tag);
    }
    h.execute(t.sql("UPDATE {p}detail_recipes SET tags = ? WHERE recipe_id = ?"), String.join(",", tags), recipeId);
  }

  /** Recomputes one recipe's summary from its ratings; no ratings, no row. */
  private static void summarise(Handle h, Tables t, long recipeId) {
    h.execute(t.sql("DELETE FROM {p}detail_rating_summary WHERE recipe_id = ?"), recipeId);
    h.execute(t.sql("INSERT INTO {p}detail_rating_summary (recipe_id, rating_count, average, stars_1, stars_2, "
        + "stars_3, stars_4, stars_5) SELECT recipe_id, COUNT(*), ROUND(SUM(stars) * 1.0 / COUNT(*), 2), "
        + "SUM(CASE WHEN stars = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN stars = 2 THEN 1 ELSE 0 END), "
        + "SUM(CASE WHEN stars = 3 THEN 1 ELSE 0 END), SUM(CASE WHEN stars = 4 THEN 1 ELSE 0 END), "
        + "SUM(CASE WHEN stars = 5 THEN 1 ELSE 0 END) FROM {p}detail_ratings WHERE recipe_id = ? GROUP BY recipe_id"),
        recipeId);
  }

  /** Reads the page: two lookups by primary key. Empty for an unknown or deleted recipe. */
  static Optional<View> read(Handle h, Tables t, ObjectMapper json, long recipeId) {
    Ratings ratings = h.createQuery(t.sql("SELECT rating_count, average, stars_1, stars_2, stars_3, stars_4, stars_5 "
            + "FROM {p}detail_rating_summary WHERE recipe_id = ?")).bind(0, recipeId)
        .map((rs, ctx) -> new Ratings(rs.getInt(1), Rows.decimal(rs.getObject(2)),
            List.of(rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getInt(7))))
        .findOne().orElse(Ratings.NONE);
    return h.createQuery(t.sql("SELECT recipe_id, title, cuisine, difficulty, prep_minutes, cook_minutes, tags, "
            + "ingredients FROM {p}detail_recipes WHERE recipe_id = ?")).bind(0, recipeId)
        .map((rs, ctx) -> {
          try {
            return new View(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getInt(6), RecipeListPage.splitTags(rs.getString(7)),
                new ArrayList<>(json.readValue(rs.getString(8), INGREDIENTS)), ratings);
          } catch (JsonProcessingException e) {
            throw new IllegalStateException("recipe " + recipeId + " has unreadable ingredients", e);
          }
        })
        .findOne();
  }
}
