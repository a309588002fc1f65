package dev.fabula;

/**
 * The database could not be reached or stayed busy for too long (a lost connection, a SQLite file
 * locked by another process past the busy timeout). The operation did not take effect; it is safe to
 * retry it.
 */
public class StoreUnavailableException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
