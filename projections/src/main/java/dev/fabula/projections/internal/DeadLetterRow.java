package dev.fabula.projections.internal;

import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.ProjectionId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A row of the dead-letter table; {@code tenantKey} is {@code ''} for a stream of no tenant. */
record DeadLetterRow(
    ProjectionId id,
    long position,
    String tenantKey,
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
    return new ParkedEvent(id, position, Dialect.tenantOf(tenantKey), streamId, streamVersion, type, status, blockedBy, reason, attempts,
        Instant.ofEpochMilli(parkedAtMs), Instant.ofEpochMilli(updatedAtMs));
  }
}
