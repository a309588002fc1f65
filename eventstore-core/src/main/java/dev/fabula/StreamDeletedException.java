package dev.fabula;

/**
 * The stream was deleted (it has a tombstone): it can be neither read nor appended to. Its events
 * stay in the global log unless it was hard-deleted. Use a new stream id.
 */
public class StreamDeletedException extends EventStoreException {
  private static final long serialVersionUID = 1L;
  private final String streamId;

  /** Creates the exception for {@code streamId}. */
  public StreamDeletedException(String streamId) {
    super("stream '" + streamId + "' was deleted; it cannot be read or appended to any more, use a new stream id");
    this.streamId = streamId;
  }

  /** Creates the exception for {@code streamId} with a message of a subclass's own. */
  protected StreamDeletedException(String streamId, String message) {
    super(message);
    this.streamId = streamId;
  }

  /** The deleted stream. */
  public String streamId() {
    return streamId;
  }
}
