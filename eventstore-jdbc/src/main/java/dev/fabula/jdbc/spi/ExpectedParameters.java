package dev.fabula.jdbc.spi;

import dev.fabula.ExpectedVersion;

/**
 * An {@link ExpectedVersion} as the three parameters every dialect's conditional upsert of a
 * stream row binds ({@code append}, {@code delete_stream}).
 *
 * @param mayCreate the stream may be created (bound as {@code :may_create})
 * @param mayUpdate an existing stream may change (bound as {@code :may_update})
 * @param expected the version an existing stream must have, or -1 for any ({@code :expected})
 */
public record ExpectedParameters(boolean mayCreate, boolean mayUpdate, long expected) {

  /** Maps an expectation to its parameters. */
  public static ExpectedParameters of(ExpectedVersion version) {
    if (version instanceof ExpectedVersion.Exactly exactly) {
      return exactly.version() == 0
          ? new ExpectedParameters(true, false, -1)
          : new ExpectedParameters(false, true, exactly.version());
    }
    if (version instanceof ExpectedVersion.NoStream) {
      return new ExpectedParameters(true, false, -1);
    }
    if (version instanceof ExpectedVersion.StreamExists) {
      return new ExpectedParameters(false, true, -1);
    }
    return new ExpectedParameters(true, true, -1);
  }
}
