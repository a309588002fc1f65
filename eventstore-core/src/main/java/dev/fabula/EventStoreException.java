package dev.fabula;

/**
 * The root of every exception the event store throws. All are unchecked; each message says what
 * happened and what to do about it.
 */
public class EventStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what happened and what to do. */
  public EventStoreException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public EventStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
