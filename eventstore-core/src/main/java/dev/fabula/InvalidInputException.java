package dev.fabula;

/** A request was malformed (a blank stream id, an empty batch, an oversized payload…). Nothing was stored. */
public class InvalidInputException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the bad value and the rule it broke. */
  public InvalidInputException(String message) {
    super(message);
  }
}
