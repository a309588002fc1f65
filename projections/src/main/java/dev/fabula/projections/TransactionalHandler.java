package dev.fabula.projections;

import dev.fabula.RecordedEvent;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Applies events to a read model in the event store's own database, exactly once: the runner calls
 * it inside the transaction that moves the checkpoint, and commits both or neither.
 *
 * <pre>{@code
 * TransactionalHandler handler = TransactionalHandler.eachEvent((handle, event) ->
 *     handle.createUpdate("INSERT INTO order_list (id, position) VALUES (:id, :position)")
 *         .bind("id", event.streamId())
 *         .bind("position", event.position())
 *         .execute());
 * }</pre>
 *
 * <p>Write only through {@code handle}, and do not commit, roll back or keep it: the runner owns
 * the transaction. Throwing rolls the batch back; the runner retries (see {@link FailurePolicy}).
 * Called from one thread at a time per projection.
 */
@FunctionalInterface
public non-sealed interface TransactionalHandler extends ProjectionHandler {

  /**
   * Applies a batch of events, in global-log order (so each stream's events in version order).
   *
   * @param handle the open transaction that will also move the checkpoint
   * @param events one or more events, all passing the projection's filter
   * @throws Exception to reject the batch; nothing of it commits
   */
  void apply(Handle handle, List<RecordedEvent> events) throws Exception;

  /** A handler that applies the events of each batch one at a time with {@code handler}. */
  static TransactionalHandler eachEvent(PerEvent handler) {
    return (handle, events) -> {
      for (RecordedEvent event : events) {
        handler.apply(handle, event);
      }
    };
  }

  /** Applies one event in the checkpoint's transaction. */
  @FunctionalInterface
  interface PerEvent {
    /**
     * Applies {@code event}.
     *
     * @param handle the open transaction that will also move the checkpoint
     * @param event the event
     * @throws Exception to reject the event and its batch
     */
    void apply(Handle handle, RecordedEvent event) throws Exception;
  }
}
