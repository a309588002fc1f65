package dev.fabula.examples.recipes;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Reads typed values from rows given as maps: legacy rows read by the importer (JDBC types, which
 * differ between SQLite and PostgreSQL) and captured rows (JSON types). Numbers may arrive as
 * {@code Integer}, {@code Long}, {@code Double} or {@code BigDecimal}, or as text.
 */
final class Rows {
  private Rows() {}

  static String text(Map<String, Object> row, String column) {
    Object value = present(row, column);
    return value.toString();
  }

  static long longValue(Map<String, Object> row, String column) {
    return decimal(row, column).longValueExact();
  }

  static int intValue(Map<String, Object> row, String column) {
    return decimal(row, column).intValueExact();
  }

  static BigDecimal decimal(Map<String, Object> row, String column) {
    return decimal(present(row, column));
  }

  static BigDecimal decimal(Object value) {
    return plain(value instanceof BigDecimal d ? d : new BigDecimal(value.toString()));
  }

  /** {@code value} without trailing zeros and never in exponent form: 1990.000 becomes 1990, 0.50 becomes 0.5. */
  static BigDecimal plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  static boolean isNull(Map<String, Object> row, String column) {
    return row.get(column) == null;
  }

  private static Object present(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      throw new IllegalArgumentException("column '" + column + "' is missing or null in row " + row);
    }
    return value;
  }
}
