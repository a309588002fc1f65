package dev.fabula.projections;

import dev.fabula.EventStoreException;

/**
 * The root of the exceptions of the projections module. Unchecked; each message says what happened
 * and what to do about it.
 */
public class ProjectionException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what happened and what to do. */
  public ProjectionException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public ProjectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
