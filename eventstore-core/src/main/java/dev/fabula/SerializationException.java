package dev.fabula;

/** An event or its metadata could not be turned into JSON, or back into its Java type. */
public class SerializationException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception, without a cause. */
  public SerializationException(String message) {
    super(message);
  }

  /** Creates the exception. */
  public SerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
