package dev.fabula;

/** Helpers about stream ids. */
public final class Streams {
  private Streams() {}

  /**
   * Returns the category of a stream: the part of its id before the first {@code -} ({@code
   * booking} for {@code booking-42}), or the whole id when it has no {@code -}.
   */
  public static String category(String streamId) {
    int dash = streamId.indexOf('-');
    return dash < 0 ? streamId : streamId.substring(0, dash);
  }
}
