package dev.fabula.jdbc.internal;

import org.jspecify.annotations.Nullable;

/** Helpers for the dialects' error translation. */
final class Errors {
  private Errors() {}

  /** The first exception of {@code type} in {@code error}'s cause chain, or null. */
  static <T extends Throwable> @Nullable T cause(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
