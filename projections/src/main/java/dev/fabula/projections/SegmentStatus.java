package dev.fabula.projections;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One segment of a projection, in its {@link ProjectionStatus#segments()}: which streams it owns,
 * where its checkpoint stands, and who holds its lease. A projection that was never segmented
 * shows one segment, 0 with mask 0, that owns every stream.
 *
 * <p>A segment is Axon's {@code (segment, mask)}: a stream belongs to it when {@code
 * (hash(tenant, stream) & mask) == segment}, the mask being {@code 2^k - 1}; see {@link #hash}.
 * Splitting {@code (s, m)} gives {@code (s, 2m+1)} and {@code (s + m + 1, 2m+1)}; merging is the
 * reverse. See docs/segments.md.
 *
 * @param segment the segment's number, {@code 0..mask}
 * @param mask which bits of a stream's hash pick its segment
 * @param checkpoint the last global position this segment applied (or parked); every event of its
 *     streams up to it is done
 * @param state its state; {@link ProjectionState#STOPPED} when no runner holds a live lease on it
 * @param owner the runner (thread) holding its lease, if any
 * @param leaseUntil when that lease expires unless renewed, on the database's clock
 * @param fencingToken the token of its lease's latest holder
 * @param lastError the error that stopped it, if FAILED
 * @param failedPosition the position it failed at, if FAILED
 * @param skipUntil after a merge of two halves at different positions: events up to this position
 *     of the faster half's streams are skipped (that half applied them); null otherwise
 */
public record SegmentStatus(
    int segment,
    int mask,
    long checkpoint,
    ProjectionState state,
    @Nullable String owner,
    @Nullable Instant leaseUntil,
    long fencingToken,
    @Nullable String lastError,
    @Nullable Long failedPosition,
    @Nullable Long skipUntil) {

  /** Whether this segment owns the stream {@code streamId} of {@code tenantId} (null: no tenant). */
  public boolean owns(@Nullable String tenantId, String streamId) {
    return (hash(tenantId, streamId) & mask) == segment;
  }

  /**
   * The stable hash that places a stream in a segment: non-negative, the same in every JVM and
   * release (built on {@link String#hashCode}, whose value the Java specification fixes, then mixed
   * with MurmurHash3's finalizer so that the low bits spread). A tenant's streams and another
   * tenant's stream of the same id may land in different segments.
   *
   * @param tenantId the stream's tenant, or null (or empty) for none
   */
  public static int hash(@Nullable String tenantId, String streamId) {
    int h = 31 * (tenantId == null ? 0 : tenantId.hashCode()) + streamId.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h & 0x7fff_ffff;
  }
}
