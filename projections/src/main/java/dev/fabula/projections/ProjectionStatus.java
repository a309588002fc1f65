package dev.fabula.projections;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one projection version, for dashboards and health checks ({@link
 * Projections#status}). Works from any process: it reads the checkpoint table and the log.
 *
 * @param id the projection version
 * @param state its state; {@link ProjectionState#STOPPED} when no runner holds a live lease
 * @param checkpoint the last global position it applied (or parked)
 * @param head the head of the log ({@link dev.fabula.EventStore#headPosition()})
 * @param lagEvents events it handles after the checkpoint, up to the head (counting stops at
 *     {@link #LAG_COUNT_CAP})
 * @param lag how long the oldest of those has been waiting (zero when caught up)
 * @param owner the runner holding the lease, if any
 * @param leaseUntil when that lease expires unless renewed
 * @param lastError the error that stopped it or that it is retrying, if any
 * @param failedPosition the position it failed at, when {@link ProjectionState#FAILED}
 * @param parkedEvents events in its dead-letter table still waiting (parked or marked for retry)
 * @param waitingFor when it waits, what for: new events, a lease, a retry, an in-flight
 *     transaction; null while it works
 * @param blockedBy the in-flight transaction that holds the head of the log back, if any
 *     (PostgreSQL; null on SQLite, which has one writer at a time)
 * @param updatedAt when its checkpoint row last changed
 * @param segments each of its segments, lowest first: one (segment 0, mask 0) for a projection that
 *     does not run as segments. For one that does, the fields above describe the whole: the lowest
 *     checkpoint, the owners joined, STOPPED unless every segment is held, FAILED if one is
 */
public record ProjectionStatus(
    ProjectionId id,
    ProjectionState state,
    long checkpoint,
    long head,
    long lagEvents,
    Duration lag,
    @Nullable String owner,
    @Nullable Instant leaseUntil,
    @Nullable String lastError,
    @Nullable Long failedPosition,
    long parkedEvents,
    @Nullable String waitingFor,
    @Nullable InFlightTransaction blockedBy,
    Instant updatedAt,
    List<SegmentStatus> segments) {

  /** Copies the list of segments. */
  public ProjectionStatus {
    segments = List.copyOf(segments);
  }

  /** A status with no segment list (one segment, 0 of mask 0, built from the fields). */
  public ProjectionStatus(ProjectionId id, ProjectionState state, long checkpoint, long head, long lagEvents, Duration lag,
      @Nullable String owner, @Nullable Instant leaseUntil, @Nullable String lastError, @Nullable Long failedPosition,
      long parkedEvents, @Nullable String waitingFor, @Nullable InFlightTransaction blockedBy, Instant updatedAt) {
    this(id, state, checkpoint, head, lagEvents, lag, owner, leaseUntil, lastError, failedPosition, parkedEvents,
        waitingFor, blockedBy, updatedAt, List.of(new SegmentStatus(0, 0, checkpoint, state, owner, leaseUntil, 0,
            lastError, failedPosition, null)));
  }

  /** Where counting the lag in events stops. */
  public static final long LAG_COUNT_CAP = 1_000_000;

  /** Whether it has applied every event it handles up to the head. */
  public boolean caughtUp() {
    return lagEvents == 0;
  }
}
