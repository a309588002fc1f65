package dev.fabula.examples.recipes;

import java.util.regex.Pattern;

/**
 * The table prefix every table of the app carries (legacy, page models and the event store's own),
 * so several copies of the app can share one database (tests do). SQL is written with a {@code {p}}
 * placeholder, such as {@code SELECT * FROM {p}recipes}, and {@link #sql} substitutes the prefix in
 * one place; the prefix is validated once here, so it can never inject SQL.
 *
 * @param prefix lower-case letters, digits and underscores, starting with a letter, at most 20
 *     characters (the event store's rule)
 */
public record Tables(String prefix) {
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");

  /** Validates the prefix and quotes it when it is bad. */
  public Tables {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("table prefix '" + prefix
          + "' is invalid; use 1 to 20 lower-case letters, digits or '_', starting with a letter");
    }
  }

  /** {@code template} with every {@code {p}} replaced by the prefix. */
  public String sql(String template) {
    return template.replace("{p}", prefix);
  }

  /** The full name of table {@code name}. */
  public String table(String name) {
    return prefix + name;
  }
}
