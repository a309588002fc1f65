package dev.fabula;

/**
 * An append's expected version did not match the stream's actual version: another writer got there
 * first. Nothing was appended. Reload the stream, decide again and retry.
 */
public class ConcurrencyException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  private final String streamId;
  private final ExpectedVersion expected;
  private final long actualVersion;

  /**
   * Creates the exception.
   *
   * @param streamId the stream
   * @param expected what the appender expected
   * @param actualVersion the stream's version when the append was checked; -1 if it does not exist
   */
  public ConcurrencyException(String streamId, ExpectedVersion expected, long actualVersion) {
    super(
        "concurrency conflict on stream '" + streamId + "': expected " + describe(expected)
            + " but the stream " + (actualVersion < 0 ? "does not exist" : "is at version " + actualVersion)
            + "; reload the stream, decide again and retry");
    this.streamId = streamId;
    this.expected = expected;
    this.actualVersion = actualVersion;
  }

  /** The stream the append targeted. */
  public String streamId() {
    return streamId;
  }

  /** What the appender expected. */
  public ExpectedVersion expected() {
    return expected;
  }

  /** The stream's actual version when the append was checked, or -1 if it did not exist. */
  public long actualVersion() {
    return actualVersion;
  }

  private static String describe(ExpectedVersion expected) {
    if (expected instanceof ExpectedVersion.Exactly exactly) {
      return "version " + exactly.version();
    }
    if (expected instanceof ExpectedVersion.NoStream) {
      return "no stream";
    }
    return expected instanceof ExpectedVersion.StreamExists ? "an existing stream" : "any version";
  }
}
