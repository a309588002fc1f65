package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.internal.Fatal;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.InFlightTransaction;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.ProjectionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import dev.fabula.projections.SegmentStatus;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Builds a projection's {@link ProjectionStatus} from its checkpoint row: the lag behind the head
 * (counted up to {@link ProjectionStatus#LAG_COUNT_CAP}, and the age of the next pending event),
 * the in-flight transaction that holds the log back, if any, and what the projection waits for,
 * from the row when it says enough, else from the worker of this process that holds the lease.
 * Reads only, in read-only transactions; any thread.
 */
final class Statuses {
  private final JdbcEventStore store;
  private final ProjectionSql sql;

  Statuses(JdbcEventStore store, ProjectionSql sql) {
    this.store = store;
    this.sql = sql;
  }

  /** The status of {@code row}'s projection; {@code live} is its lease holder in this process, if any. */
  ProjectionStatus of(CheckpointRow row, Worker.@Nullable Live live, List<SegmentStatus> segments) {
    long head = store.headPosition();
    long lagEvents = sql.readOnly("counting the lag of " + row.id(),
        h -> sql.countPending(h, row.filter(), row.position(), head, ProjectionStatus.LAG_COUNT_CAP));
    Duration lag = Duration.ZERO;
    if (lagEvents > 0) {
      try (Stream<RecordedEvent> next = store.readAll(row.filter().after(row.position(), 1).acceptAllRemovals())) {
        lag = next.findFirst()
            .map(e -> Duration.between(e.recordedAt(), Instant.ofEpochMilli(row.nowMs())))
            .filter(d -> !d.isNegative())
            .orElse(Duration.ZERO);
      } catch (RuntimeException | Error e) {
        // The next event does not read (an upcaster throws): the status still answers, with the
        // events behind counted and the age unknown (zero); the runner's lastError says why.
        if (Fatal.is(e)) {
          throw e;
        }
      }
    }
    InFlightTransaction blockedBy = sql.readOnly("reading in-flight appends", h -> Fences.oldestHolder(sql, h)).orElse(null);
    ProjectionState state = row.effectiveState();
    String lastError = row.lastError() != null ? row.lastError() : live == null ? null : live.lastError();
    return new ProjectionStatus(row.id(), state, row.position(), head, lagEvents, lag, row.owner(),
        row.owner() == null ? null : Instant.ofEpochMilli(row.leaseUntilMs()), lastError, row.failedPosition(),
        row.parkedEvents(), waitingFor(row, state, lagEvents, blockedBy, live), blockedBy,
        Instant.ofEpochMilli(row.updatedAtMs()), segments);
  }

  private static @Nullable String waitingFor(
      CheckpointRow row, ProjectionState state, long lagEvents, @Nullable InFlightTransaction blockedBy,
      Worker.@Nullable Live live) {
    if (state == ProjectionState.STOPPED && live != null && live.dead()) {
      return live.waitingFor();
    }
    if (state == ProjectionState.STOPPED) {
      return "a runner to take the lease (none holds it)";
    }
    if (state == ProjectionState.FAILED) {
      return "a fix and Projections.resume: position " + row.failedPosition() + " failed";
    }
    if (lagEvents == 0 && blockedBy != null) {
      return "position " + blockedBy.fromPosition() + " and later, held back by an in-flight transaction (pid "
          + blockedBy.pid() + (blockedBy.since() == null ? "" : ", since " + blockedBy.since()) + ")";
    }
    if (live != null) {
      return live.waitingFor();
    }
    return lagEvents == 0 ? "new events" : null;
  }
}
