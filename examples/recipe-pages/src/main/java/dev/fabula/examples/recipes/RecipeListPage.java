package dev.fabula.examples.recipes;

import dev.fabula.EventTypes;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.recipes.KitchenEvent.RecipeCreated;
import dev.fabula.examples.recipes.KitchenEvent.RecipeDeleted;
import dev.fabula.examples.recipes.KitchenEvent.RecipeTagged;
import dev.fabula.examples.recipes.KitchenEvent.RecipeUntagged;
import dev.fabula.examples.recipes.KitchenEvent.RecipeUpdated;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The recipe library page: recipe cards and filter facet counts, in three tables of its own.
 *
 * <ul>
 *   <li>{@code list_recipes}: one row per recipe card (deleted recipes are removed), with the
 *       time bucket precomputed so that filtering by it is an indexed equality;
 *   <li>{@code list_recipe_tags}: the tags, one row per recipe and tag, for the tag filter;
 *   <li>{@code list_facets}: how many recipes each facet value has (cuisine, difficulty, time,
 *       tag), recomputed from the two tables above at the end of every batch, in the batch's
 *       transaction: the counts can never disagree with the list.
 * </ul>
 *
 * <p>Recomputing every facet per batch costs one grouped scan of the page's own tables: cheap for a
 * household's library, and batches of 500 events during a replay share it. A library of millions
 * would recompute only the facet values a batch touched.
 */
public final class RecipeListPage {

  /** The projection's name (its checkpoint). */
  public static final String NAME = "recipe-list";

  /** The page's tables, without prefix. */
  public static final List<String> TABLES = List.of("list_recipes", "list_recipe_tags", "list_facets");

  /** The facets the page filters on. */
  public static final List<String> FACETS = List.of("cuisine", "difficulty", "time", "tag");

  private static final Map<String, String> FACET_COLUMNS =
      Map.of("cuisine", "cuisine", "difficulty", "difficulty", "time", "time_bucket");

  private RecipeListPage() {}

  /**
   * One recipe card.
   *
   * @param recipeId the recipe
   * @param title the title
   * @param cuisine the cuisine
   * @param difficulty the difficulty
   * @param totalMinutes preparation plus cooking time
   * @param timeBucket the time facet value ({@link #timeBucket})
   * @param tags the tags, sorted
   */
  public record Card(long recipeId, String title, String cuisine, String difficulty, int totalMinutes,
      String timeBucket, List<String> tags) {
    /** Copies the tags. */
    public Card {
      tags = List.copyOf(tags);
    }
  }

  /**
   * How many recipes have one facet value.
   *
   * @param facet {@code cuisine}, {@code difficulty}, {@code time} or {@code tag}
   * @param value the value, such as {@code Italian}
   * @param recipes how many recipes have it
   */
  public record FacetCount(String facet, String value, int recipes) {}

  /**
   * A filter on one facet value.
   *
   * @param facet one of {@link #FACETS}
   * @param value the value
   */
  public record Filter(String facet, String value) {
    /** Checks the facet. */
    public Filter {
      if (!FACETS.contains(facet)) {
        throw new IllegalArgumentException("unknown facet '" + facet + "'; use one of " + FACETS);
      }
    }
  }

  /**
   * The page: the cards that pass the filter and the facet counts of the whole library.
   *
   * @param cards the cards, by title
   * @param facets the counts, by facet and value
   */
  public record View(List<Card> cards, List<FacetCount> facets) {
    /** Copies the lists. */
    public View {
      cards = List.copyOf(cards);
      facets = List.copyOf(facets);
    }

    /** The count shown next to a facet value (0 when no recipe has it). */
    public int count(String facet, String value) {
      return facets.stream().filter(f -> f.facet().equals(facet) && f.value().equals(value))
          .mapToInt(FacetCount::recipes).sum();
    }
  }

  /** The time facet of a recipe that takes {@code totalMinutes}. */
  public static String timeBucket(int totalMinutes) {
    if (totalMinutes <= 20) {
      return "under 20 min";
    }
    return totalMinutes <= 45 ? "20-45 min" : "over 45 min";
  }

  /** Creates the page's tables and indexes unless they exist. */
  static void createTables(Handle h, Tables t) {
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}list_recipes (recipe_id BIGINT PRIMARY KEY, title TEXT NOT NULL, "
        + "cuisine TEXT NOT NULL, difficulty TEXT NOT NULL, total_minutes INTEGER NOT NULL, time_bucket TEXT NOT NULL, "
        + "tags TEXT NOT NULL)"));
    h.execute(t.sql("CREATE INDEX IF NOT EXISTS {p}list_recipes_cuisine ON {p}list_recipes (cuisine)"));
    h.execute(t.sql("CREATE INDEX IF NOT EXISTS {p}list_recipes_difficulty ON {p}list_recipes (difficulty)"));
    h.execute(t.sql("CREATE INDEX IF NOT EXISTS {p}list_recipes_time ON {p}list_recipes (time_bucket)"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}list_recipe_tags (recipe_id BIGINT NOT NULL, tag TEXT NOT NULL, "
        + "PRIMARY KEY (recipe_id, tag))"));
    h.execute(t.sql("CREATE INDEX IF NOT EXISTS {p}list_recipe_tags_tag ON {p}list_recipe_tags (tag)"));
    h.execute(t.sql("CREATE TABLE IF NOT EXISTS {p}list_facets (facet TEXT NOT NULL, value TEXT NOT NULL, "
        + "recipes INTEGER NOT NULL, PRIMARY KEY (facet, value))"));
  }

  /** The projection that keeps the page's tables, in the checkpoint's transaction. */
  static Projection projection(Tables t, EventTypes types) {
    return Projection.transactional(NAME, (h, events) -> {
          for (RecordedEvent e : events) {
            apply(h, t, (KitchenEvent) types.decode(e));
          }
          recomputeFacets(h, t);
        })
        .withFilter(EventFilter.ofTypes("recipe-created", "recipe-updated", "recipe-tagged", "recipe-untagged",
            "recipe-deleted"))
        .withReset(h -> TABLES.forEach(table -> h.execute("DELETE FROM " + t.table(table))));
  }

  private static void apply(Handle h, Tables t, KitchenEvent event) {
    if (event instanceof RecipeCreated c) {
      int total = c.prepMinutes() + c.cookMinutes();
      h.createUpdate(t.sql("INSERT INTO {p}list_recipes (recipe_id, title, cuisine, difficulty, total_minutes, "
              + "time_bucket, tags) VALUES (:id, :title, :cuisine, :difficulty, :total, :bucket, '') "
              + "ON CONFLICT (recipe_id) DO UPDATE SET title = excluded.title, cuisine = excluded.cuisine, "
              + "difficulty = excluded.difficulty, total_minutes = excluded.total_minutes, "
              + "time_bucket = excluded.time_bucket"))
          .bind("id", c.recipeId()).bind("title", c.title()).bind("cuisine", c.cuisine())
          .bind("difficulty", c.difficulty()).bind("total", total).bind("bucket", timeBucket(total)).execute();
      h.execute(t.sql("DELETE FROM {p}list_recipe_tags WHERE recipe_id = ?"), c.recipeId());
      for (String tag : c.tags()) {
        h.execute(t.sql("INSERT INTO {p}list_recipe_tags (recipe_id, tag) VALUES (?, ?)"), c.recipeId(), tag);
      }
      refreshTags(h, t, c.recipeId());
    } else if (event instanceof RecipeUpdated u) {
      int total = u.prepMinutes() + u.cookMinutes();
      h.createUpdate(t.sql("UPDATE {p}list_recipes SET title = :title, cuisine = :cuisine, difficulty = :difficulty, "
              + "total_minutes = :total, time_bucket = :bucket WHERE recipe_id = :id"))
          .bind("id", u.recipeId()).bind("title", u.title()).bind("cuisine", u.cuisine())
          .bind("difficulty", u.difficulty()).bind("total", total).bind("bucket", timeBucket(total)).execute();
    } else if (event instanceof RecipeTagged tagged) {
      if (listed(h, t, tagged.recipeId())) {
        h.execute(t.sql("INSERT INTO {p}list_recipe_tags (recipe_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING"),
            tagged.recipeId(), tagged.tag());
        refreshTags(h, t, tagged.recipeId());
      }
    } else if (event instanceof RecipeUntagged untagged) {
      h.execute(t.sql("DELETE FROM {p}list_recipe_tags WHERE recipe_id = ? AND tag = ?"), untagged.recipeId(),
          untagged.tag());
      refreshTags(h, t, untagged.recipeId());
    } else if (event instanceof RecipeDeleted d) {
      h.execute(t.sql("DELETE FROM {p}list_recipe_tags WHERE recipe_id = ?"), d.recipeId());
      h.execute(t.sql("DELETE FROM {p}list_recipes WHERE recipe_id = ?"), d.recipeId());
    }
  }

  private static boolean listed(Handle h, Tables t, long recipeId) {
    return h.createQuery(t.sql("SELECT COUNT(*) FROM {p}list_recipes WHERE recipe_id = ?")).bind(0, recipeId)
        .mapTo(Long.class).one() > 0;
  }

  /** Copies the tag rows into the card's sorted, comma-separated {@code tags} column. */
  private static void refreshTags(Handle h, Tables t, long recipeId) {
    List<String> tags = h.createQuery(t.sql("SELECT tag FROM {p}list_recipe_tags WHERE recipe_id = ? ORDER BY tag"))
        .bind(0, recipeId).mapTo(String.class).list();
    h.execute(t.sql("UPDATE {p}list_recipes SET tags = ? WHERE recipe_id = ?"), String.join(",", tags), recipeId);
  }

  private static void recomputeFacets(Handle h, Tables t) {
    h.execute(t.sql("DELETE FROM {p}list_facets"));
    h.execute(t.sql("INSERT INTO {p}list_facets (facet, value, recipes) "
        + "SELECT 'cuisine', cuisine, COUNT(*) FROM {p}list_recipes GROUP BY cuisine "
        + "UNION ALL SELECT 'difficulty', difficulty, COUNT(*) FROM {p}list_recipes GROUP BY difficulty "
        + "UNION ALL SELECT 'time', time_bucket, COUNT(*) FROM {p}list_recipes GROUP BY time_bucket "
        + "UNION ALL SELECT 'tag', tag, COUNT(*) FROM {p}list_recipe_tags GROUP BY tag"));
  }

  /** Reads the page: one indexed query for the cards, one for the facet counts, no joins. */
  static View read(Handle h, Tables t, @Nullable Filter filter) {
    String where = "";
    if (filter != null) {
      where = filter.facet().equals("tag")
          ? " WHERE recipe_id IN (SELECT recipe_id FROM {p}list_recipe_tags WHERE tag = :value)"
          : " WHERE " + FACET_COLUMNS.get(filter.facet()) + " = :value";
    }
    var query = h.createQuery(t.sql("SELECT recipe_id, title, cuisine, difficulty, total_minutes, time_bucket, tags "
        + "FROM {p}list_recipes" + where + " ORDER BY title, recipe_id"));
    if (filter != null) {
      query.bind("value", filter.value());
    }
    List<Card> cards = query.map((rs, ctx) -> new Card(rs.getLong(1), rs.getString(2), rs.getString(3),
        rs.getString(4), rs.getInt(5), rs.getString(6), splitTags(rs.getString(7)))).list();
    List<FacetCount> facets = h.createQuery(t.sql("SELECT facet, value, recipes FROM {p}list_facets "
            + "ORDER BY facet, value"))
        .map((rs, ctx) -> new FacetCount(rs.getString(1), rs.getString(2), rs.getInt(3))).list();
    return new View(cards, facets);
  }

  static List<String> splitTags(@Nullable String tags) {
    return tags == null || tags.isBlank() ? List.of() : Arrays.stream(tags.split(",")).map(String::trim).sorted().toList();
  }
}
