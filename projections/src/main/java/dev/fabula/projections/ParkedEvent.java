package dev.fabula.projections;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of a projection's dead-letter table ({@link Projections#deadLetters}).
 *
 * @param projection the projection version
 * @param position the event's global position
 * @param tenantId the tenant of its stream ({@link dev.fabula.EventStore#forTenant}); null for a
 *     stream of no tenant. A stream is named by its tenant and id: two tenants' {@code order-1} are
 *     two streams, and a parked event holds back only its own
 * @param streamId its stream
 * @param streamVersion its version in the stream
 * @param type its event type
 * @param status what became of it
 * @param blockedBy the earlier parked position of the same stream (same tenant) it waits behind; null when this
 *     event itself failed
 * @param reason the handler's error, or why it waits, or why it was dismissed
 * @param attempts how many times its handler ran
 * @param parkedAt when it was parked
 * @param updatedAt when its row last changed
 */
public record ParkedEvent(
    ProjectionId projection,
    long position,
    @Nullable String tenantId,
    String streamId,
    long streamVersion,
    String type,
    Status status,
    @Nullable Long blockedBy,
    String reason,
    int attempts,
    Instant parkedAt,
    Instant updatedAt) {

  /** What became of a parked event. */
  public enum Status {
    /** Waiting for a retry request or a dismissal. */
    PARKED,
    /** A retry was requested; the lease holder retries its stream in order. */
    RETRY,
    /** A retry applied it. */
    APPLIED,
    /** Dismissed: it will never be applied. */
    DISMISSED
  }

  /** Whether it still holds its stream back (parked or marked for retry). */
  public boolean waiting() {
    return status == Status.PARKED || status == Status.RETRY;
  }
}
