package dev.fabula;

/**
 * An aggregate's stream was truncated by retention ({@link Retention}) before the version a load
 * needed to start from: no usable snapshot covers the missing versions (none was saved, or its
 * state schema version is no longer the aggregate's), so the state cannot be rebuilt from events.
 * Loading never builds a state from part of a history.
 */
public class StreamTruncatedException extends EventStoreException {
  private static final long serialVersionUID = 1L;
  private final String streamId;
  private final long firstVersion;

  /** Creates the exception: the load needed {@code neededVersion}, the stream starts at {@code firstVersion}. */
  public StreamTruncatedException(String streamId, long neededVersion, long firstVersion) {
    super("stream '" + streamId + "' was truncated by retention: its events start at version " + firstVersion
        + " but loading needed version " + neededVersion + "; it loads only from a snapshot at version "
        + (firstVersion - 1) + " or later of the aggregate's current state schema (restore that snapshot, or rebuild "
        + "the state from the archive or a backup)");
    this.streamId = streamId;
    this.firstVersion = firstVersion;
  }

  /** The stream. */
  public String streamId() {
    return streamId;
  }

  /** The oldest version still stored. */
  public long firstVersion() {
    return firstVersion;
  }
}
