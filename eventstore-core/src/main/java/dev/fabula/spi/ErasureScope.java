package dev.fabula.spi;

import dev.fabula.Erasure;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link ErasureParticipant} erases: one tenant's subject or stream, with the streams and
 * global positions of the events concerned, found by the store before it erased anything (a
 * stream's events, or the events naming a subject).
 *
 * @param tenantId the tenant (null: the unconfined store's namespace); a participant touches
 *     nothing of another tenant
 * @param kind a subject or a stream
 * @param target the subject's or stream's id
 * @param streams the streams of the events concerned (for a stream erasure: that stream)
 * @param positions the global positions of the events concerned
 */
public record ErasureScope(@Nullable String tenantId, Erasure.Kind kind, String target, Set<String> streams, Set<Long> positions) {

  /** Copies. */
  public ErasureScope {
    streams = Set.copyOf(streams);
    positions = Set.copyOf(positions);
  }

  /** The tenant's key in the tables' {@code tenant_id} columns: {@code ''} for the unconfined store. */
  public String tenantKey() {
    return tenantId == null ? "" : tenantId;
  }

  @Override
  public String toString() {
    return "ErasureScope[" + kind + ", " + streams.size() + " stream(s), " + positions.size() + " event(s)]";
  }
}
