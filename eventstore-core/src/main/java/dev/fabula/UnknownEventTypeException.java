package dev.fabula;

/** An event class or type name is not registered in the store's {@link EventTypes}. Nothing was stored. */
public class UnknownEventTypeException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying how to register the type. */
  public UnknownEventTypeException(String message) {
    super(message);
  }
}
