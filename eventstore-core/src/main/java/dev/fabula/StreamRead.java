package dev.fabula;

/**
 * How to read one stream: direction, first version and how many events.
 *
 * <pre>{@code
 * store.readStream("order-7", StreamRead.forwards().from(10).limit(50)); // versions 10..59
 * store.readStream("order-7", StreamRead.backwards().limit(1));          // the last event
 * }</pre>
 *
 * @param direction forwards (increasing versions) or backwards
 * @param fromVersion the first version to return (inclusive); for backwards reads {@link
 *     Long#MAX_VALUE} means "from the end"
 * @param limit the most events to return
 */
public record StreamRead(Direction direction, long fromVersion, int limit) {

  /** Reading direction. */
  public enum Direction {
    /** Increasing versions. */
    FORWARDS,
    /** Decreasing versions. */
    BACKWARDS
  }

  /** Validates the values. */
  public StreamRead {
    if (direction == null) {
      throw new InvalidInputException("direction must not be null");
    }
    if (fromVersion < 0) {
      throw new InvalidInputException("fromVersion must be 0 or more but was " + fromVersion);
    }
    if (limit < 1) {
      throw new InvalidInputException("limit must be 1 or more but was " + limit);
    }
  }

  /** The whole stream, oldest event first. */
  public static StreamRead forwards() {
    return new StreamRead(Direction.FORWARDS, 1, Integer.MAX_VALUE);
  }

  /** The whole stream, newest event first. */
  public static StreamRead backwards() {
    return new StreamRead(Direction.BACKWARDS, Long.MAX_VALUE, Integer.MAX_VALUE);
  }

  /** Returns a copy starting at {@code version} (inclusive). */
  public StreamRead from(long version) {
    return new StreamRead(direction, version, limit);
  }

  /** Returns a copy returning at most {@code max} events. */
  public StreamRead limit(int max) {
    return new StreamRead(direction, fromVersion, max);
  }
}
