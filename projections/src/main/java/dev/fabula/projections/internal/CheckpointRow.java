package dev.fabula.projections.internal;

import dev.fabula.projections.EventFilter;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import org.jspecify.annotations.Nullable;

/**
 * A row of the checkpoint table, with the database's clock and the dead-letter counts; {@code
 * fencingToken} is the token of the lease's latest holder (see {@link Lease}).
 */
record CheckpointRow(
    ProjectionId id,
    long position,
    @Nullable String owner,
    long leaseUntilMs,
    ProjectionState state,
    @Nullable String lastError,
    @Nullable Long failedPosition,
    boolean rebuildRequested,
    boolean rebuildable,
    EventFilter filter,
    long updatedAtMs,
    long nowMs,
    long retryRequests,
    long parkedEvents,
    long fencingToken) {

  /** Whether a runner holds a lease that has not expired. */
  boolean leased() {
    return owner != null && leaseUntilMs >= nowMs;
  }

  /** The state as readers should see it: STOPPED when no live lease, unless FAILED. */
  ProjectionState effectiveState() {
    if (state == ProjectionState.FAILED) {
      return state;
    }
    return leased() ? state : ProjectionState.STOPPED;
  }
}
