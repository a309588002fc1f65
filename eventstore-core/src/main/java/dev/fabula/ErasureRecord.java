package dev.fabula;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The audit record of one {@link EventStore#erase}: what kind of target, a keyed hash of it, when,
 * by whom, and how much each participant erased; never the erased data itself, nor the target's
 * id. {@link EventStore#erasures} lists them; {@link EventStore#erasuresOf} finds those of one
 * target by hashing it again.
 *
 * @param id the record's id
 * @param tenantId the tenant whose data was erased, or null for the unconfined store's
 * @param kind a subject or a stream
 * @param targetHash HMAC-SHA-256 of the target under the store's erasure secret (Base64 URL, no
 *     padding): equal for the same tenant, kind and target, meaningless without the secret
 * @param erasedAt when
 * @param requestedBy who asked ({@link Erasure#requestedBy})
 * @param counts rows (or keys) each participant erased, by participant name ({@code events},
 *     {@code keys}, {@code snapshots}, {@code projections}, {@code scheduler}…)
 */
public record ErasureRecord(
    UUID id, @Nullable String tenantId, Erasure.Kind kind, String targetHash, Instant erasedAt, String requestedBy,
    Map<String, Long> counts) {

  /** Copies the counts. */
  public ErasureRecord {
    counts = Map.copyOf(counts);
  }

  /** The total of the counts. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
