package dev.fabula.jdbc.spi;

import java.util.List;

/**
 * A module that keeps tables beside the event store's (projections, the scheduler, the migration
 * toolkit), as {@link ComponentDatabase#open} needs it.
 *
 * <p>Its SQL lives under {@code folder}: one folder per dialect ({@code <folder>/postgresql/},
 * {@code <folder>/sqlite/}) for what differs, and {@code <folder>/common/} for statements that
 * read the same on every database; each dialect folder has {@code migrations/} with the scripts
 * named in {@code migrations}.
 *
 * @param name a short stable name, recorded with the applied migrations ({@code scheduler})
 * @param anchor a class whose class loader sees the SQL resources
 * @param folder the classpath folder of the SQL, such as {@code dev/fabula/scheduler}
 * @param migrations the migration script names in order; version n is the n-th
 */
public record Component(String name, Class<?> anchor, String folder, List<String> migrations) {

  /** Validates and copies. */
  public Component {
    if (!name.matches("[a-z][a-z0-9_]{0,40}")) {
      throw new IllegalArgumentException("component name '" + name + "' must be lowercase letters, digits and _");
    }
    if (folder.startsWith("/") || folder.endsWith("/")) {
      throw new IllegalArgumentException("component folder '" + folder + "' must not start or end with /");
    }
    migrations = List.copyOf(migrations);
  }
}
