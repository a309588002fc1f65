package dev.fabula;

/**
 * A command refused by a business rule: a typed value, not an exception.
 *
 * @param code a stable, machine-readable code such as {@code value-deleted}, for callers to branch
 *     on and for tests to assert
 * @param message an explanation for people
 */
public record Rejection(String code, String message) {

  /** Validates the code and message. */
  public Rejection {
    if (code == null || code.isBlank()) {
      throw new InvalidInputException("a rejection needs a code such as \"value-deleted\", not " + (code == null ? "null" : "a blank one"));
    }
    if (message == null) {
      throw new InvalidInputException("the rejection '" + code + "' needs a message (it may be empty)");
    }
  }

  /** A rejection whose message is its code. */
  public static Rejection of(String code) {
    return new Rejection(code, code);
  }
}
