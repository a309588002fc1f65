package dev.fabula.projections;

import java.time.Duration;
import java.time.Instant;
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
    Instant updatedAt) {

  /** Where counting the lag in events stops. */
  public static final long LAG_COUNT_CAP = 1_000_000;

  /** Whether it has applied every event it handles up to the head. */
  public boolean caughtUp() {
    return lagEvents == 0;
  }
}
