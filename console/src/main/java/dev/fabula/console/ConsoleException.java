package dev.fabula.console;

import dev.fabula.EventStoreException;

/** A console that cannot be built or started as configured; the message says what to change. */
public class ConsoleException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  /** An error with its message. */
  public ConsoleException(String message) {
    super(message);
  }

  /** An error with its message and cause. */
  public ConsoleException(String message, Throwable cause) {
    super(message, cause);
  }
}
