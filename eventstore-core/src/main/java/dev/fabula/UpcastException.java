package dev.fabula;

import org.jspecify.annotations.Nullable;

/**
 * An {@link Upcaster} threw, or returned something invalid, while an event was read. The read
 * failed; nothing was written and the stored event is unchanged. Fix or remove the upcaster and
 * read again.
 */
public class UpcastException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  private final long position;
  private final String streamId;
  private final String type;
  private final int schemaVersion;
  private final String upcaster;

  /**
   * Creates the exception.
   *
   * @param event the stored event being read
   * @param upcaster a description of the failing upcaster (its class, or what a factory built)
   * @param problem what went wrong, such as "threw IllegalStateException: no value"
   * @param cause what the upcaster threw, if anything
   */
  public UpcastException(RecordedEvent event, String upcaster, String problem, @Nullable Throwable cause) {
    super("upcaster " + upcaster + " failed on the event at position " + event.position() + " (stream '"
        + event.streamId() + "', version " + event.streamVersion() + ", type " + event.type() + " v"
        + event.schemaVersion() + "): " + problem + "; the stored event is unchanged: fix or remove the "
        + "upcaster and read again", cause);
    this.position = event.position();
    this.streamId = event.streamId();
    this.type = event.type();
    this.schemaVersion = event.schemaVersion();
    this.upcaster = upcaster;
  }

  /** The global position of the stored event. */
  public long position() {
    return position;
  }

  /** The stream of the stored event. */
  public String streamId() {
    return streamId;
  }

  /** The stored type of the event. */
  public String type() {
    return type;
  }

  /** The stored schema version of the event. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /** A description of the failing upcaster. */
  public String upcaster() {
    return upcaster;
  }
}
