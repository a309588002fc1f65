package dev.fabula.projections;

import dev.fabula.RecordedEvent;
import java.util.List;

/**
 * Applies events to something outside the event store's database (a cache, a search index, an
 * HTTP service): the runner moves the checkpoint after the handler returns, so an event may be
 * delivered again after a crash or a lease takeover. Make effects idempotent with {@link
 * RecordedEvent#position()} (or the event id).
 *
 * <p>Called from one thread at a time per projection, outside any database transaction. Throwing
 * rejects the batch; the runner retries (see {@link FailurePolicy}), possibly one event at a time,
 * so events of a batch that had succeeded are delivered again.
 */
@FunctionalInterface
public non-sealed interface AtLeastOnceHandler extends ProjectionHandler {

  /**
   * Applies a batch of events, in global-log order.
   *
   * @param events one or more events, all passing the projection's filter
   * @throws Exception to reject the batch
   */
  void apply(List<RecordedEvent> events) throws Exception;

  /** A handler that applies the events of each batch one at a time with {@code handler}. */
  static AtLeastOnceHandler eachEvent(PerEvent handler) {
    return events -> {
      for (RecordedEvent event : events) {
        handler.apply(event);
      }
    };
  }

  /** Applies one event. */
  @FunctionalInterface
  interface PerEvent {
    /**
     * Applies {@code event}.
     *
     * @param event the event; its position is the idempotency key
     * @throws Exception to reject the event
     */
    void apply(RecordedEvent event) throws Exception;
  }
}
