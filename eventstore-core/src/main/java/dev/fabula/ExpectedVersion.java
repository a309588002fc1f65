package dev.fabula;

/**
 * What the appender believes about a stream's current version; the store rejects an append whose
 * belief is wrong with a {@link ConcurrencyException}.
 *
 * <p>Versions count a stream's events: the first event has version 1, so a stream with {@code n}
 * events has version {@code n}.
 */
public sealed interface ExpectedVersion
    permits ExpectedVersion.Any,
        ExpectedVersion.NoStream,
        ExpectedVersion.StreamExists,
        ExpectedVersion.Exactly {

  /** No check: append after whatever the stream holds, creating it if needed. */
  record Any() implements ExpectedVersion {}

  /** The stream must not exist yet (it has no events and was never deleted). */
  record NoStream() implements ExpectedVersion {}

  /** The stream must exist, whatever its version. */
  record StreamExists() implements ExpectedVersion {}

  /**
   * The stream's version must be exactly {@code version}. {@code exactly(0)} means the stream has
   * no events, the same as {@link #noStream()}.
   *
   * @param version the expected version, zero or more
   */
  record Exactly(long version) implements ExpectedVersion {
    /** Validates the version. */
    public Exactly {
      if (version < 0) {
        throw new InvalidInputException(
            "expected version must be 0 or more but was " + version
                + "; use ExpectedVersion.any() to skip the check");
      }
    }
  }

  /** Returns the expectation that skips the check. */
  static ExpectedVersion any() {
    return new Any();
  }

  /** Returns the expectation that the stream does not exist yet. */
  static ExpectedVersion noStream() {
    return new NoStream();
  }

  /** Returns the expectation that the stream exists. */
  static ExpectedVersion streamExists() {
    return new StreamExists();
  }

  /** Returns the expectation that the stream is at exactly {@code version}. */
  static ExpectedVersion exactly(long version) {
    return new Exactly(version);
  }
}
