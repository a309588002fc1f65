package dev.fabula.migration;

import dev.fabula.EventStoreException;

/** A migration step failed; the message says what to do. Unchecked, like every store error. */
public class MigrationException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with an actionable message. */
  public MigrationException(String message) {
    super(message);
  }

  /** Creates the exception with an actionable message and its cause. */
  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
