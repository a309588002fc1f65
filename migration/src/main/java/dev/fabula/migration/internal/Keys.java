package dev.fabula.migration.internal;

import java.math.BigDecimal;

/**
 * Row keys: numbers compare as numbers, anything else by its text. A key is stored in the
 * checkpoint as text plus a flag saying whether it was a number, so a resumed SQL import binds it
 * back with its type ({@code id > 9} must not become {@code id > '9'}).
 */
public final class Keys {
  private Keys() {}

  /** Whether {@code key} is an integral number the checkpoint can store as one. */
  public static boolean isNumber(Object key) {
    return key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte
        || (key instanceof BigDecimal d && d.scale() <= 0);
  }

  /** The key as stored text. */
  public static String text(Object key) {
    return isNumber(key) ? String.valueOf(((Number) key).longValue()) : String.valueOf(key);
  }

  /** The key to bind back from its stored form. */
  public static Object restore(String text, boolean number) {
    return number ? (Object) Long.parseLong(text) : text;
  }

  /** Compares two keys: numerically when both are numbers, else by text. */
  public static int compare(Object a, Object b) {
    if (isNumber(a) && isNumber(b)) {
      return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
    }
    return text(a).compareTo(text(b));
  }
}
