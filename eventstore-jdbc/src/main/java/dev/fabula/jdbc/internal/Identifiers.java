package dev.fabula.jdbc.internal;

import dev.fabula.InvalidInputException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Schema names that reach SQL text (DDL and the qualified table names take no bound parameters).
 * A configured schema is already a validated lower-case identifier; one the connection reports
 * ({@code current_schema()}, from its {@code search_path}) is validated here and quoted when it has
 * upper-case letters, so that {@code "MyApp"} stays {@code MyApp} instead of becoming a second
 * schema {@code myapp}. Anything else is refused with the name quoted, never cleaned.
 */
final class Identifiers {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private Identifiers() {}

  /** The connection's current schema as SQL: as is when lower-case, else in double quotes. */
  static String schema(@Nullable String currentSchema) {
    if (currentSchema == null) {
      throw new InvalidInputException("the connection has no current schema: its search_path names no schema that "
          + "exists; create the schema, fix the search_path, or set one with JdbcConfig.withSchema");
    }
    if (!NAME.matcher(currentSchema).matches()) {
      throw new InvalidInputException("the connection's current schema '" + currentSchema + "' is not a plain SQL "
          + "identifier (letters, digits and underscores); set another with JdbcConfig.withSchema");
    }
    return currentSchema.equals(currentSchema.toLowerCase(Locale.ROOT)) ? currentSchema : '"' + currentSchema + '"';
  }
}
