package dev.fabula;

/**
 * Thrown by {@link CommandResult#orThrow()} for a rejected command, for callers that prefer an
 * exception to inspecting the result. Nothing was written.
 */
public class CommandRejectedException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  private final String streamId;
  private final Rejection rejection;

  /** Creates the exception for a rejection on {@code streamId}. */
  public CommandRejectedException(String streamId, Rejection rejection) {
    super("command rejected on stream '" + streamId + "' [" + rejection.code() + "]: " + rejection.message());
    this.streamId = streamId;
    this.rejection = rejection;
  }

  /** The aggregate's stream. */
  public String streamId() {
    return streamId;
  }

  /** Why the command was rejected. */
  public Rejection rejection() {
    return rejection;
  }
}
