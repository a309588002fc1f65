package dev.fabula.projections.internal;

import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.Projections;
import dev.fabula.projections.SegmentStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the segments of a projection — segmenting it, {@link #split}, {@link #merge} — and
 * reads them for status. Each change is one transaction that first locks the projection's
 * checkpoint row (changes and rebuilds take turns) and then its segments (on PostgreSQL this waits
 * for their holders' open batches, so the positions it reads are committed and stay so), and
 * revokes the lease of every segment it changes: the owner is cleared and the fencing token
 * bumped, so the holder's next write fails ({@code lock_segment.sql}) and any runner claims the
 * changed segment afresh. A transactional handler's effects commit with its checkpoint or not at
 * all, so a revoked holder leaves nothing behind; an at-least-once holder's batch is delivered again.
 *
 * <p><b>Split</b> {@code (s, m)} at checkpoint {@code p}: {@code (s, 2m+1)} and {@code (s+m+1, 2m+1)},
 * both at {@code p}, in the parent's state (a REBUILDING parent gives two REBUILDING halves).
 * <b>Merge</b> of the halves {@code (s, m)} and {@code (s ^ (m+1)/2, m)} at {@code p1 <= p2}: one
 * segment {@code (min, m/2)} at {@code p1} that skips, up to {@code p2}, the events of the faster
 * half's streams (it applied them); so nothing is delivered twice and nothing waits. A half that
 * still skips for an earlier merge, or is FAILED, is not merged. Thread-safe.
 */
final class Segments {
  private static final Logger LOG = LoggerFactory.getLogger(Projections.class);

  private final ProjectionSql sql;
  private final SegmentSql segments;

  Segments(ProjectionSql sql) {
    this.sql = sql;
    this.segments = new SegmentSql(sql.db());
  }

  SegmentSql sql() {
    return segments;
  }

  /**
   * Gives {@code id} {@code count} segments at its checkpoint unless it has segments already;
   * returns whether it runs as segments. A FAILED projection stays whole until resumed.
   */
  boolean segment(ProjectionId id, int count) {
    if (count == 1) {
      return !rows(id).isEmpty(); // a read, no lock: the default start is as before segments
    }
    return sql.write("segmenting projection " + id, h -> {
      Optional<SegmentSql.ProjectionRow> row = segments.lockProjection(h, id);
      if (row.isEmpty()) {
        return false;
      }
      if (!segments.lockAll(h, id).isEmpty()) {
        return true;
      }
      SegmentSql.ProjectionRow p = row.get();
      if (p.state() == ProjectionState.FAILED) {
        LOG.warn("Projection {} is FAILED at position {}: it stays whole (one segment) until it is resumed; "
            + "then restart its runner to run it as {} segments", id, p.failedPosition(), count);
        return false;
      }
      long token = tokenOf(h, id) + 1;
      ProjectionState state = p.state() == ProjectionState.REBUILDING ? ProjectionState.REBUILDING : ProjectionState.STOPPED;
      for (int s = 0; s < count; s++) {
        segments.insert(h, id, new SegmentSql.Shape(s, count - 1, null), p.position(), state, token);
      }
      segments.markSegmented(h, id);
      LOG.info("Projection {}: now {} segments, each at checkpoint {}", id, count, p.position());
      return true;
    });
  }

  private long tokenOf(Handle h, ProjectionId id) {
    return sql.readCheckpoint(h, id).map(CheckpointRow::fencingToken).orElse(0L);
  }

  /** See {@link Projections#split}. */
  void split(ProjectionId id, int segment) {
    sql.write("splitting a segment of projection " + id, h -> {
      SegmentSql.Row row = locked(h, id, segment);
      if (row.state() == ProjectionState.FAILED) {
        throw new ProjectionException("segment " + segment + " of projection " + id + " is FAILED at position "
            + row.failedPosition() + "; resume it (Projections.resume) or rebuild before splitting it");
      }
      int mask = row.shape().mask();
      if (mask + 1 >= dev.fabula.projections.Projection.MAX_SEGMENTS) {
        throw new ProjectionException("segment " + segment + " of projection " + id + " cannot be split: a projection "
            + "has at most " + dev.fabula.projections.Projection.MAX_SEGMENTS + " segments");
      }
      int newMask = mask * 2 + 1;
      int sibling = segment + mask + 1;
      long token = row.token() + 1;
      ProjectionState state = after(row.state());
      SegmentSql.Skip skip = row.shape().skip();
      segments.reshape(h, id, new SegmentSql.Shape(segment, newMask, skip), row.position(), state, token);
      segments.insert(h, id, new SegmentSql.Shape(sibling, newMask, skip), row.position(), state, token);
      LOG.info("Projection {}: segment {} (mask {}) split into {} and {} (mask {}), both at checkpoint {}", id, segment,
          mask, segment, sibling, newMask, row.position());
      return null;
    });
  }

  /** See {@link Projections#merge}; returns the merged segment's number. */
  int merge(ProjectionId id, int segment) {
    return sql.write("merging segments of projection " + id, h -> {
      SegmentSql.Row a = locked(h, id, segment);
      int mask = a.shape().mask();
      if (mask == 0) {
        throw new ProjectionException("projection " + id + " has a single segment: nothing to merge it with");
      }
      int siblingId = segment ^ ((mask + 1) >> 1);
      SegmentSql.Row b = segments.lockAll(h, id).stream().filter(r -> r.segment() == siblingId).findFirst()
          .filter(r -> r.shape().mask() == mask)
          .orElseThrow(() -> new ProjectionException("segment " + segment + " of projection " + id + " cannot be merged: "
              + "its sibling " + siblingId + " was split further; merge the sibling's halves first (see its status)"));
      for (SegmentSql.Row r : List.of(a, b)) {
        if (r.state() == ProjectionState.FAILED) {
          throw new ProjectionException("segment " + r.segment() + " of projection " + id + " is FAILED at position "
              + r.failedPosition() + "; resume it (Projections.resume) or rebuild before merging it");
        }
        if (r.shape().skip() != null) {
          throw new ProjectionException("segment " + r.segment() + " of projection " + id + " still skips events up to "
              + "position " + r.shape().skip().until() + " for an earlier merge; merge it once its checkpoint ("
              + r.position() + ") has passed that position");
        }
      }
      SegmentSql.Row lower = a.segment() < b.segment() ? a : b;
      SegmentSql.Row upper = lower == a ? b : a;
      SegmentSql.Row slower = a.position() <= b.position() ? a : b;
      SegmentSql.Row faster = slower == a ? b : a;
      SegmentSql.Skip skip = slower.position() == faster.position() ? null
          : new SegmentSql.Skip(faster.segment(), mask, faster.position());
      ProjectionState state = a.state() == ProjectionState.REBUILDING || b.state() == ProjectionState.REBUILDING
          ? ProjectionState.REBUILDING : ProjectionState.STOPPED;
      long token = Math.max(a.token(), b.token()) + 1;
      segments.delete(h, id, upper.segment());
      segments.reshape(h, id, new SegmentSql.Shape(lower.segment(), mask >> 1, skip), slower.position(), state, token);
      LOG.info("Projection {}: segments {} (checkpoint {}) and {} (checkpoint {}) merged into {} (mask {}) at checkpoint {}{}",
          id, a.segment(), a.position(), b.segment(), b.position(), lower.segment(), mask >> 1, slower.position(),
          skip == null ? "" : ", skipping the events of segment " + faster.segment() + "'s streams up to " + skip.until());
      return lower.segment();
    });
  }

  private SegmentSql.Row locked(Handle h, ProjectionId id, int segment) {
    if (segments.lockProjection(h, id).isEmpty()) {
      throw new ProjectionException("projection " + id + " is not registered; run it once with a ProjectionRunner, or "
          + "check its name and version");
    }
    List<SegmentSql.Row> rows = segments.lockAll(h, id);
    if (rows.isEmpty()) {
      throw new ProjectionException("projection " + id + " does not run as segments; give it segments with "
          + "Projection.withSegments(n) and start its runner, which splits it at its checkpoint");
    }
    return rows.stream().filter(r -> r.segment() == segment).findFirst()
        .orElseThrow(() -> new ProjectionException("projection " + id + " has no segment " + segment + "; its segments are "
            + rows.stream().map(r -> String.valueOf(r.segment())).collect(Collectors.joining(", "))));
  }

  private static ProjectionState after(ProjectionState state) {
    return state == ProjectionState.REBUILDING ? ProjectionState.REBUILDING : ProjectionState.STOPPED;
  }

  /** Resumes the FAILED segments; returns how many. */
  int resume(ProjectionId id) {
    return sql.write("resuming segments of " + id, h -> segments.resume(h, id));
  }

  /** The segments of {@code id}, lowest first; empty when it is not segmented. */
  List<SegmentSql.Row> rows(ProjectionId id) {
    return sql.read("reading segments of " + id, h -> segments.read(h, id));
  }

  /** Whether {@code row} is the checkpoint row of a segmented projection. */
  static boolean segmented(CheckpointRow row) {
    return SegmentSql.SEGMENTED.equals(row.owner());
  }

  /**
   * The projection as a whole, seen through its segments (for status, waits and the delivery
   * audit): the lowest checkpoint (every event up to it is applied, whatever its segment), owners
   * joined, STOPPED unless every segment is leased, the most urgent state, the first error.
   */
  CheckpointRow fold(CheckpointRow row, List<SegmentSql.Row> rows) {
    if (rows.isEmpty()) {
      return row;
    }
    long position = rows.stream().mapToLong(SegmentSql.Row::position).min().orElseThrow();
    boolean allLeased = rows.stream().allMatch(SegmentSql.Row::leased);
    String owner = allLeased ? rows.stream().map(SegmentSql.Row::owner).filter(Objects::nonNull).distinct()
        .collect(Collectors.joining(", ")) : null;
    long leaseUntil = allLeased ? rows.stream().mapToLong(SegmentSql.Row::leaseUntilMs).min().orElseThrow() : 0;
    Optional<SegmentSql.Row> failed = rows.stream().filter(r -> r.state() == ProjectionState.FAILED).findFirst();
    ProjectionState state = failed.isPresent() ? ProjectionState.FAILED
        : rows.stream().anyMatch(r -> r.state() == ProjectionState.REBUILDING) ? ProjectionState.REBUILDING
        : rows.stream().anyMatch(r -> r.state() != ProjectionState.RUNNING) ? ProjectionState.CATCHING_UP
        : ProjectionState.RUNNING;
    long updated = rows.stream().mapToLong(SegmentSql.Row::updatedAtMs).max().orElseThrow();
    return new CheckpointRow(row.id(), position, owner, leaseUntil, state,
        failed.map(SegmentSql.Row::lastError).orElse(null), failed.map(SegmentSql.Row::failedPosition).orElse(null),
        row.rebuildRequested(), row.rebuildable(), row.filter(), Math.max(updated, row.updatedAtMs()), row.nowMs(),
        row.retryRequests(), row.parkedEvents(), row.fencingToken());
  }

  /**
   * The row by which to judge the delivery of {@code events} (those at one position): the
   * segment that owns their stream; the whole when there are none.
   */
  CheckpointRow forEvents(CheckpointRow raw, List<dev.fabula.RecordedEvent> events) {
    List<SegmentSql.Row> rows = rows(raw.id());
    Optional<SegmentSql.Row> owner = events.isEmpty() ? Optional.empty()
        : rows.stream().filter(r -> r.shape().owns(StreamKey.of(events.get(0)))).findFirst();
    return fold(raw, owner.map(List::of).orElse(rows));
  }

  /** Each segment's status; a projection that is not segmented shows as its one segment, 0 of mask 0. */
  static List<SegmentStatus> statuses(CheckpointRow whole, List<SegmentSql.Row> rows) {
    if (rows.isEmpty()) {
      return List.of(new SegmentStatus(0, 0, whole.position(), whole.effectiveState(), whole.owner(),
          whole.owner() == null ? null : Instant.ofEpochMilli(whole.leaseUntilMs()), whole.fencingToken(),
          whole.lastError(), whole.failedPosition(), null));
    }
    return rows.stream().sorted(Comparator.comparingInt(SegmentSql.Row::segment)).map(SegmentSql.Row::toStatus).toList();
  }
}
