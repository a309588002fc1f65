package dev.fabula.projections;

import java.util.regex.Pattern;

/**
 * Names one version of a projection: the key of its checkpoint, lease, dead letters and status.
 * Two versions of a projection are independent (blue/green rebuilds).
 *
 * @param name the projection's stable name: 1 to 100 letters, digits, {@code _ . : -}, starting
 *     with a letter or digit
 * @param version its version, 1 or more
 */
public record ProjectionId(String name, int version) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");

  /** Validates the name and version and quotes the bad value. */
  public ProjectionId {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ProjectionException(
          "projection name '" + name + "' is invalid; use 1 to 100 letters, digits, '_', '.', ':' or '-', "
              + "starting with a letter or digit, such as \"order-list\"");
    }
    if (version < 1) {
      throw new ProjectionException(
          "version of projection '" + name + "' must be 1 or more but was " + version);
    }
  }

  /** The id of {@code version} of projection {@code name}. */
  public static ProjectionId of(String name, int version) {
    return new ProjectionId(name, version);
  }

  @Override
  public String toString() {
    return name + " v" + version;
  }
}
