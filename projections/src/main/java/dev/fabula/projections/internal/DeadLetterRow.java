package dev.fabula.projections.internal;

import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.ProjectionId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A row of the dead-letter table. */
record DeadLetterRow(
    ProjectionId id,
    long position,
    String streamId,
    long streamVersion,
    String type,
    ParkedEvent.Status status,
    @Nullable Long blockedBy,
    String reason,
    int attempts,
    long parkedAtMs,
    long updatedAtMs) {

  ParkedEvent toParkedEvent() {
    return new ParkedEvent(id, position, streamId, streamVersion, type, status, blockedBy, reason, attempts,
        Instant.ofEpochMilli(parkedAtMs), Instant.ofEpochMilli(updatedAtMs));
  }
}
