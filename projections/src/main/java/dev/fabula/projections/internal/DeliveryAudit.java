package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Delivery;
import dev.fabula.projections.DeliveryState;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import java.util.List;
import java.util.Optional;

/**
 * Tells what became of one log position for one projection ({@code Projections.delivery}):
 * parked, retried, dismissed, applied, still pending, not handled by its filter, or no event at
 * all. The dead-letter table answers first, then the log (read through the store, so the event is
 * judged as upcast, as the runner delivers it) and the checkpoint. Reads only; any thread.
 */
final class DeliveryAudit {
  private final JdbcEventStore store;
  private final ProjectionSql sql;

  DeliveryAudit(JdbcEventStore store, ProjectionSql sql) {
    this.store = store;
    this.sql = sql;
  }

  /** The delivery of {@code position} to {@code row}'s projection. */
  Delivery of(CheckpointRow row, long position) {
    ProjectionId id = row.id();
    Optional<DeadLetterRow> dead = sql.read("reading dead letters of " + id, h -> sql.deadLetterAt(h, id, position));
    if (dead.isPresent()) {
      DeadLetterRow d = dead.get();
      String why = d.blockedBy() == null
          ? "its handler failed " + d.attempts() + " times: " + d.reason()
          : "held back behind the parked event at position " + d.blockedBy() + " of stream "
              + new StreamKey(d.tenantKey(), d.streamId()) + " (kept in stream order)";
      switch (d.status()) {
        case PARKED:
          return new Delivery(id, position, DeliveryState.PARKED, "parked: " + why);
        case RETRY:
          return new Delivery(id, position, DeliveryState.PARKED, "parked, retry requested: " + why);
        case APPLIED:
          return new Delivery(id, position, DeliveryState.APPLIED, d.reason());
        default:
          return new Delivery(id, position, DeliveryState.DISMISSED, "dismissed: " + d.reason());
      }
    }
    long head = store.headPosition();
    if (position > head) {
      return new Delivery(id, position, DeliveryState.PENDING, "not in the readable log yet: the head is " + head
          + " (no event has this position yet, or an earlier transaction is still in flight)");
    }
    List<RecordedEvent> events = EventsAt.read(store, position);
    if (events.isEmpty()) {
      return new Delivery(id, position, DeliveryState.NO_EVENT,
          "no event holds this position: its transaction rolled back, its stream was erased, or an upcaster drops it");
    }
    if (events.stream().noneMatch(row.filter()::matches)) {
      return new Delivery(id, position, DeliveryState.NOT_HANDLED, "its filter " + row.filter()
          + " does not take type " + events.stream().map(RecordedEvent::type).distinct().toList()
          + " of stream '" + events.get(0).streamId() + "'");
    }
    if (position <= row.position()) {
      return new Delivery(id, position, DeliveryState.APPLIED, "applied: the checkpoint (" + row.position()
          + ") is at or past it");
    }
    if (row.state() == ProjectionState.FAILED && row.failedPosition() != null && row.failedPosition() == position) {
      return new Delivery(id, position, DeliveryState.PENDING, "the projection is FAILED at this event: " + row.lastError());
    }
    return new Delivery(id, position, DeliveryState.PENDING, "after the checkpoint (" + row.position()
        + "); it is applied in order");
  }
}
