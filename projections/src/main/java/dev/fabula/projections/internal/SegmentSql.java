package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.SegmentStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of the segments table ({@code <prefix>projection_segments}, projections schema 5): one
 * method per statement file, as {@link ProjectionSql} for the checkpoint rows. Every write of a
 * holder names the segment, its owner and its fencing token, as the checkpoint row's do. Thread-safe.
 */
final class SegmentSql {
  /** The owner of the checkpoint row of a segmented projection: nobody applies it whole. */
  static final String SEGMENTED = "(segments)";

  private final ComponentDatabase db;

  SegmentSql(ComponentDatabase db) {
    this.db = db;
  }

  /** Which events of the log a segment takes: its streams, less a merge's skip. */
  record Shape(int segment, int mask, @Nullable Skip skip) {
    boolean owns(StreamKey stream) {
      return (SegmentStatus.hash(stream.tenantKey(), stream.streamId()) & mask) == segment;
    }

    /** Whether the holder applies {@code e}: its stream is this segment's and no merge skip covers it. */
    boolean applies(RecordedEvent e) {
      int hash = SegmentStatus.hash(StreamKey.of(e).tenantKey(), e.streamId());
      if ((hash & mask) != segment) {
        return false;
      }
      return skip == null || e.position() > skip.until() || (hash & skip.mask()) != skip.segment();
    }

    @Override
    public String toString() {
      return "segment " + segment + " (mask " + mask + ")";
    }
  }

  /** Left by a merge: events up to {@code until} of the streams of {@code (segment, mask)} were applied. */
  record Skip(int segment, int mask, long until) {}

  /** What a claim got: the segment, where it stands, and the new fencing token. */
  record Claim(Shape shape, long position, ProjectionState state, long token, boolean rebuildRequested) {}

  /** A row of the segments table, with the database's clock. */
  record Row(Shape shape, long position, @Nullable String owner, long leaseUntilMs, long token, ProjectionState state,
      @Nullable String lastError, @Nullable Long failedPosition, long updatedAtMs, long nowMs) {
    int segment() {
      return shape.segment();
    }

    boolean leased() {
      return owner != null && leaseUntilMs >= nowMs;
    }

    ProjectionState effectiveState() {
      return state == ProjectionState.FAILED || leased() ? state : ProjectionState.STOPPED;
    }

    SegmentStatus toStatus() {
      return new SegmentStatus(shape.segment(), shape.mask(), position, effectiveState(), owner,
          owner == null ? null : Instant.ofEpochMilli(leaseUntilMs), token, lastError, failedPosition,
          shape.skip() == null ? null : shape.skip().until());
    }
  }

  // ---- the holder's statements --------------------------------------------------------------

  Optional<Claim> claim(Handle h, ProjectionId id, String owner, long leaseMs) {
    return keyed(h.createQuery(db.sql("claim_segment")), id)
        .bind("owner", owner)
        .bind("lease_ms", leaseMs)
        .map((rs, ctx) -> new Claim(shape(rs), rs.getLong("position"), ProjectionState.valueOf(rs.getString("state")),
            rs.getLong("fencing_token"), rs.getBoolean("rebuild_requested")))
        .findOne();
  }

  int renew(Handle h, ProjectionId id, int segment, ProjectionSql.Holder holder, long leaseMs) {
    return held(h.createUpdate(db.sql("renew_segment")), id, segment, holder).bind("lease_ms", leaseMs).execute();
  }

  int release(Handle h, ProjectionId id, int segment, ProjectionSql.Holder holder) {
    return held(h.createUpdate(db.sql("release_segment")), id, segment, holder).execute();
  }

  Optional<ProjectionSql.Locked> lock(Handle h, ProjectionId id, int segment, ProjectionSql.Holder holder, long position,
      long leaseMs) {
    return held(h.createQuery(db.sql("lock_segment")), id, segment, holder)
        .bind("position", position)
        .bind("lease_ms", leaseMs)
        .map((rs, ctx) -> new ProjectionSql.Locked(rs.getBoolean("rebuild_requested"),
            ProjectionState.valueOf(rs.getString("state"))))
        .findOne();
  }

  int advance(Handle h, ProjectionId id, int segment, ProjectionSql.Holder holder, long read, long position,
      ProjectionState state, long leaseMs) {
    return held(h.createUpdate(db.sql("advance_segment")), id, segment, holder)
        .bind("read", read)
        .bind("position", position)
        .bind("state", state.name())
        .bind("lease_ms", leaseMs)
        .execute();
  }

  int setState(Handle h, ProjectionId id, int segment, ProjectionSql.Holder holder, ProjectionState state) {
    return held(h.createUpdate(db.sql("set_segment_state")), id, segment, holder).bind("state", state.name()).execute();
  }

  int markFailed(Handle h, ProjectionId id, int segment, ProjectionSql.Holder holder, @Nullable Long failedPosition,
      String error) {
    return held(h.createUpdate(db.sql("mark_segment_failed")), id, segment, holder)
        .bind("failed_position", failedPosition)
        .bind("error", ProjectionSql.truncate(error))
        .execute();
  }

  /** Every segment back to 0 for a rebuild; the holder of {@code segment} keeps its lease. */
  int reset(Handle h, ProjectionId id, int segment, long leaseMs) {
    return keyed(h.createUpdate(db.sql("reset_segments")), id).bind("segment", segment).bind("lease_ms", leaseMs).execute();
  }

  // ---- reading, and changing the segments (segmenting, split, merge) ------------------------

  List<Row> read(Handle h, ProjectionId id) {
    return keyed(h.createQuery(db.sql("read_segments")), id).map(SegmentSql::row).list();
  }

  /** The segments, locked until commit (PostgreSQL: waits for their holders' open batches). */
  List<Row> lockAll(Handle h, ProjectionId id) {
    return keyed(h.createQuery(db.sql("lock_segments")), id).map(SegmentSql::row).list();
  }

  /** What the checkpoint row holds, locked until commit. */
  record ProjectionRow(long position, ProjectionState state, @Nullable String lastError, @Nullable Long failedPosition,
      boolean rebuildRequested) {}

  Optional<ProjectionRow> lockProjection(Handle h, ProjectionId id) {
    return keyed(h.createQuery(db.sql("lock_projection")), id)
        .map((rs, ctx) -> new ProjectionRow(rs.getLong("position"), ProjectionState.valueOf(rs.getString("state")),
            rs.getString("last_error"), nullableLong(rs, "failed_position"), rs.getBoolean("rebuild_requested")))
        .findOne();
  }

  void markSegmented(Handle h, ProjectionId id) {
    keyed(h.createUpdate(db.sql("mark_segmented")), id).execute();
  }

  void clearRebuildRequest(Handle h, ProjectionId id) {
    keyed(h.createUpdate(db.sql("clear_rebuild_request")), id).execute();
  }

  int resume(Handle h, ProjectionId id) {
    return keyed(h.createUpdate(db.sql("resume_segments")), id).execute();
  }

  void insert(Handle h, ProjectionId id, Shape shape, long position, ProjectionState state, long token) {
    shaped(h.createUpdate(db.sql("insert_segment")), id, shape)
        .bind("position", position)
        .bind("state", state.name())
        .bind("fencing_token", token)
        .execute();
  }

  void reshape(Handle h, ProjectionId id, Shape shape, long position, ProjectionState state, long token) {
    shaped(h.createUpdate(db.sql("reshape_segment")), id, shape)
        .bind("position", position)
        .bind("state", state.name())
        .bind("fencing_token", token)
        .execute();
  }

  void delete(Handle h, ProjectionId id, int segment) {
    keyed(h.createUpdate(db.sql("delete_segment")), id).bind("segment", segment).execute();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static <S extends SqlStatement<S>> S keyed(S statement, ProjectionId id) {
    return statement.bind("name", id.name()).bind("version", id.version());
  }

  private static <S extends SqlStatement<S>> S held(S statement, ProjectionId id, int segment, ProjectionSql.Holder holder) {
    return keyed(statement, id).bind("segment", segment).bind("owner", holder.owner()).bind("fencing_token", holder.token());
  }

  private static <S extends SqlStatement<S>> S shaped(S statement, ProjectionId id, Shape shape) {
    Skip skip = shape.skip();
    return keyed(statement, id)
        .bind("segment", shape.segment())
        .bind("mask", shape.mask())
        .bind("skip_segment", skip == null ? null : skip.segment())
        .bind("skip_mask", skip == null ? null : skip.mask())
        .bind("skip_until", skip == null ? null : skip.until());
  }

  private static Shape shape(ResultSet rs) throws SQLException {
    Long until = nullableLong(rs, "skip_until");
    Skip skip = until == null ? null : new Skip(rs.getInt("skip_segment"), rs.getInt("skip_mask"), until);
    return new Shape(rs.getInt("segment"), rs.getInt("mask"), skip);
  }

  private static Row row(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
    return new Row(shape(rs), rs.getLong("position"), rs.getString("owner"), rs.getLong("lease_until_ms"),
        rs.getLong("fencing_token"), ProjectionState.valueOf(rs.getString("state")), rs.getString("last_error"),
        nullableLong(rs, "failed_position"), rs.getLong("updated_at_ms"), rs.getLong("now_ms"));
  }

  private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
