package dev.fabula.projections.internal;

import dev.fabula.EventStore;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the events at one log position for the paths that look at a single position (retries of
 * parked events, the delivery audit). It reads through {@link EventStore#readAll}, never the row,
 * so upcasters apply there as on every read: a split event gives several events, one an upcaster
 * drops gives none. Any thread.
 */
final class EventsAt {
  private EventsAt() {}

  /**
   * The events {@code store} reads at {@code position}; empty when no event holds it (rolled back,
   * erased) or an upcaster drops it. Ask only for positions at or below the head of the log.
   */
  static List<RecordedEvent> read(EventStore store, long position) {
    if (position < 1) {
      return List.of();
    }
    // The limit counts stored events, so every part of a split event comes.
    try (Stream<RecordedEvent> read = store.readAll(LogQuery.after(position - 1).limit(1).acceptAllRemovals())) {
      return read.filter(e -> e.position() == position).toList();
    }
  }
}
