package dev.fabula.migration.internal;

import java.util.regex.Pattern;

/**
 * Checks names that must go into SQL as identifiers (DDL and {@code ORDER BY} take no bound
 * parameters): letters, digits and underscores, optionally one schema qualifier. Anything else is
 * refused with the bad value quoted, never "cleaned".
 */
public final class Identifiers {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final Pattern QUALIFIED = Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}");

  private Identifiers() {}

  /** {@code name} if it is a plain identifier. */
  public static String column(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a plain column name (letters, digits, _; up to 63)");
    }
    return name;
  }

  /** {@code name} if it is a table name, optionally {@code schema.table}. */
  public static String table(String name) {
    if (name == null || !QUALIFIED.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a table name (letters, digits, _; optionally schema.table)");
    }
    return name;
  }

  /** The table name without its schema. */
  public static String unqualified(String table) {
    int dot = table.indexOf('.');
    return dot < 0 ? table : table.substring(dot + 1);
  }
}
