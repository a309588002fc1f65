package dev.fabula;

import java.time.Instant;

/**
 * One step of an aggregate's history ({@link AggregateRepository#history}): an event and the state
 * right after it.
 *
 * @param recorded the event as read (already upcast): position, version, metadata, timestamp
 * @param event the decoded event
 * @param state the aggregate's state after this event
 * @param <S> the state type
 * @param <E> the event type
 */
public record HistoryEntry<S, E>(RecordedEvent recorded, E event, S state) {

  /** The stream version of the event (events split by an upcaster share it). */
  public long version() {
    return recorded.streamVersion();
  }

  /** When the event was recorded. */
  public Instant recordedAt() {
    return recorded.recordedAt();
  }
}
