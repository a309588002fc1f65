package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.internal.Fatal;
import dev.fabula.projections.AtLeastOnceHandler;
import dev.fabula.projections.FencingToken;
import dev.fabula.projections.LostLeaseException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.RunnerConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's lease on its projection's checkpoint row: taking it, renewing it, giving it up, the
 * fence around every transaction that moves the checkpoint, and the fencing token.
 *
 * <p><b>The fencing token.</b> Every acquisition bumps the row's {@code fencing_token} and this
 * holder keeps the new value; every statement that changes the row as its holder (renew, lock,
 * advance, state, release) names owner <em>and</em> token, so a holder that lost the lease, even to
 * a runner of the same owner name, changes nothing. At-least-once handlers get it as a {@link
 * FencingToken} to pass on to the systems they write to.
 *
 * <p><b>The safe window.</b> A renewal sets the lease's expiry on the database's clock to its
 * {@code now} plus the lease's length. Locally, the lease counts as held until the start of the
 * last renewal that succeeded (a commit that moved the checkpoint renews it too) plus the lease's
 * length less {@link #SAFETY_MARGIN_FRACTION} of it, on {@link System#nanoTime}: a monotonic clock
 * that keeps running while the process is paused ({@code SIGSTOP}, a long GC), so a holder that
 * wakes up past its window knows at its next check, before applying anything. The renewal's start
 * is before the database read its clock, so the window ends before the expiry another runner sees.
 *
 * <p><b>In the database</b>, a transaction that moves the checkpoint starts with {@link #lock}
 * (bounds on idle time and lock waits on PostgreSQL, then the row is this holder's, at the position
 * read) and ends with {@link #advance} (the fenced update); either throws {@link
 * LostLeaseException} when the row is no longer this holder's at that position.
 *
 * <p><b>Segments.</b> A lease made with a {@link SegmentSql} is on one segment of a segmented
 * projection at a time: {@link #take} claims any segment that no runner holds (never one with a
 * live lease), and every statement above names that segment; once lost, the next {@link #take}
 * may claim another. {@link #shape} says which events the claimed segment applies.
 *
 * <p>Thread safety: {@link #renew} runs on the runner's heartbeat thread; everything else on the
 * worker thread; {@link #held}, {@link #expired} and the tokens' checks may be read from any thread.
 */
final class Lease {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class); // the runner's log, one name for its parts
  /** The part of the lease's length before its expiry at which the safe window ends. */
  private static final double SAFETY_MARGIN_FRACTION = 0.1;

  private final ProjectionSql sql;
  private final ProjectionId id;
  private final String owner;
  private final RunnerConfig config;
  private final long leaseMs;
  private final AtomicLong validUntil = new AtomicLong();
  private volatile boolean held;
  private volatile long token;
  /** Null for the lease on a whole projection's checkpoint row. */
  private final @Nullable SegmentSql segments;
  /** The segment claimed last (segments only). */
  private volatile SegmentSql.@Nullable Claim claim;

  Lease(ProjectionSql sql, ProjectionId id, String owner, RunnerConfig config, @Nullable SegmentSql segments) {
    this.sql = sql;
    this.segments = segments;
    this.id = id;
    this.owner = owner;
    this.config = config;
    this.leaseMs = config.leaseDuration().toMillis();
  }

  String owner() {
    return owner;
  }

  long leaseMs() {
    return leaseMs;
  }

  /** The fencing token this holder took the lease with (0 before it first did). */
  long token() {
    return token;
  }

  private ProjectionSql.Holder holder() {
    return new ProjectionSql.Holder(owner, token);
  }

  /** Whether this lease is on segments of the projection rather than on the whole of it. */
  boolean segmented() {
    return segments != null;
  }

  /** The segment claimed last, or null (not segmented, or none claimed yet). */
  SegmentSql.@Nullable Shape shape() {
    SegmentSql.Claim c = claim;
    return c == null ? null : c.shape();
  }

  /** The segment number the statements name (the claimed one). */
  private int segment() {
    SegmentSql.Claim c = claim;
    if (c == null) {
      throw new IllegalStateException("no segment claimed");
    }
    return c.shape().segment();
  }

  /** Who holds what, for log lines: the projection, and the segment when segmented. */
  String what() {
    SegmentSql.Claim c = claim;
    return c == null ? id.toString() : id + " " + c.shape();
  }

  /** Whether this worker holds the lease, as far as it knows. */
  boolean held() {
    return held;
  }

  /** Whether the safe window passed: no renewal succeeded in time. */
  boolean expired() {
    return System.nanoTime() - validUntil.get() > 0;
  }

  /** The exception for a write that found the row no longer this owner's at {@code position}. */
  LostLeaseException lostAt(long position) {
    SegmentSql.Claim c = claim;
    if (c != null) {
      return new LostLeaseException(id, owner, position, "its lease on " + c.shape() + " (fencing token " + token
          + ") ended: it expired and another runner claimed the segment, or a split, merge or rebuild revoked it; "
          + "this batch did not move the checkpoint");
    }
    return new LostLeaseException(id, owner, position);
  }

  /** Tries to take the lease; returns where the projection stands, or empty when another runner holds it. */
  Optional<ProjectionSql.Acquired> take() {
    long started = System.nanoTime();
    Optional<ProjectionSql.Acquired> got;
    if (segments != null) {
      Optional<SegmentSql.Claim> c = write("claiming a segment of projection " + id, h -> segments.claim(h, id, owner, leaseMs));
      c.ifPresent(x -> claim = x);
      got = c.map(x -> new ProjectionSql.Acquired(x.position(), x.state(), x.rebuildRequested(), x.token()));
    } else {
      got = write("taking the lease of projection " + id, h -> sql.acquire(h, id, owner, leaseMs));
    }
    if (got.isPresent()) {
      validUntil.set(started + window());
      token = got.get().token();
      held = true;
    }
    return got;
  }

  /** Who holds the lease now and until when, for status while in standby. */
  String heldBy() {
    if (segments != null) {
      List<SegmentSql.Row> rows = sql.read("reading segments of " + id, h -> segments.read(h, id));
      return rows.isEmpty() ? "nobody: the projection has no segments (its checkpoint row is not segmented)"
          : "other runners: every one of its " + rows.size() + " segments is held";
    }
    Optional<CheckpointRow> row = sql.read("reading projection " + id, h -> sql.readCheckpoint(h, id));
    return row.map(CheckpointRow::owner).orElse("?") + " until "
        + row.map(r -> Instant.ofEpochMilli(r.leaseUntilMs()).toString()).orElse("?")
        + row.map(r -> " (fencing token " + r.fencingToken() + ")").orElse("");
  }

  /** Renews the lease if held; called by the heartbeat thread. A failure is logged; the lease then runs out locally. */
  void renew() {
    if (!held) {
      return;
    }
    long started = System.nanoTime();
    ProjectionSql.Holder me = holder();
    try {
      if (segments != null) {
        renewSegment(started, me);
        return;
      }
      int renewed = write("renewing the lease of projection " + id, h -> sql.renew(h, id, me, leaseMs));
      if (renewed == 1) {
        extend(started);
        return;
      }
      Optional<CheckpointRow> row = sql.read("reading projection " + id, h -> sql.readCheckpoint(h, id));
      if (row.isPresent() && owner.equals(row.get().owner()) && row.get().fencingToken() == me.token()) {
        return; // PostgreSQL: our own batch holds the row lock and extends the lease when it commits
      }
      if (token != me.token()) {
        return; // the worker took the lease again meanwhile: this renewal was for the lease before
      }
      LOG.warn("Projection {}: lease of {} (fencing token {}) lost to {}", id, owner, me.token(),
          row.map(r -> r.owner() + " (fencing token " + r.fencingToken() + ")").orElse("nobody"));
      validUntil.set(started);
    } catch (RuntimeException e) {
      LOG.warn("Projection {}: could not renew the lease ({}); it stops applying if the lease runs out", id, e.getMessage());
    }
  }

  /** {@link #renew} for a segment: as for the checkpoint row, on the claimed segment's row. */
  private void renewSegment(long started, ProjectionSql.Holder me) {
    SegmentSql s = java.util.Objects.requireNonNull(segments);
    int segment = segment();
    if (write("renewing the lease of " + what(), h -> s.renew(h, id, segment, me, leaseMs)) == 1) {
      extend(started);
      return;
    }
    Optional<SegmentSql.Row> row = sql.read("reading segments of " + id, h -> s.read(h, id)).stream()
        .filter(r -> r.segment() == segment).findFirst();
    if (row.isPresent() && owner.equals(row.get().owner()) && row.get().token() == me.token()) {
      return; // PostgreSQL: our own batch holds the row lock and extends the lease when it commits
    }
    if (token != me.token()) {
      return;
    }
    LOG.info("Projection {}: lease of {} (fencing token {}) ended: {}", what(), owner, me.token(),
        row.map(r -> "held by " + r.owner() + " (fencing token " + r.token() + "), or revoked by a split or merge")
            .orElse("the segment was merged into its sibling"));
    validUntil.set(started);
  }

  /**
   * A write of the lease's own (take, renew, release): bounded like every transaction that touches
   * the row ({@link ProjectionSql#limitTransaction}), so that a process frozen between the update
   * and the commit, which leaves the row locked, loses that transaction within a lease.
   */
  private <T> T write(String action, Function<Handle, T> work) {
    return sql.write(action, h -> {
      sql.limitTransaction(h, leaseMs);
      return work.apply(h);
    });
  }

  /** The safe window's length after the start of a renewal, in nanoseconds. */
  private long window() {
    return (long) (config.leaseDuration().toNanos() * (1 - SAFETY_MARGIN_FRACTION));
  }

  /** A renewal (or a commit that renews) began at {@code renewalStarted} and succeeded. */
  void extend(long renewalStarted) {
    long until = renewalStarted + window();
    validUntil.accumulateAndGet(until, (a, b) -> a - b > 0 ? a : b);
  }

  /** The lease is no longer ours (lost, or the row disappeared); nothing to give back. */
  void lost() {
    held = false;
  }

  /** Gives the lease up, if held; a failure is logged, and another runner takes the lease when it runs out. */
  void release(long checkpoint) {
    if (!held) {
      return;
    }
    held = false;
    try {
      if (segments != null) {
        int segment = segment();
        write("releasing the lease of " + what(), h -> segments.release(h, id, segment, holder()));
      } else {
        write("releasing the lease of projection " + id, h -> sql.release(h, id, holder()));
      }
      LOG.info("Projection {}: lease released by {} at checkpoint {}", what(), owner, checkpoint);
    } catch (RuntimeException | Error e) {
      LOG.warn("Projection {}: could not release the lease ({}); another runner takes it when it expires", id, e.toString());
      if (Fatal.is(e)) {
        throw e;
      }
    }
  }

  /**
   * Opens a checkpoint-moving transaction: locks the row for this owner at {@code read}.
   *
   * @throws ControlFlow.RebuildRequested when a rebuild was requested, unless {@code rebuilding}
   */
  void lock(Handle h, long read, boolean rebuilding) {
    sql.limitTransaction(h, leaseMs);
    Optional<ProjectionSql.Locked> locked = segments != null
        ? segments.lock(h, id, segment(), holder(), read, leaseMs)
        : sql.lock(h, id, holder(), read, leaseMs);
    if (locked.isEmpty()) {
      throw lostAt(read);
    }
    if (!rebuilding && locked.get().rebuildRequested()) {
      throw new ControlFlow.RebuildRequested();
    }
  }

  /** Closes a checkpoint-moving transaction: moves the checkpoint from {@code read} to {@code position}. */
  void advance(Handle h, long read, long position, ProjectionState next) {
    int moved = segments != null
        ? segments.advance(h, id, segment(), holder(), read, position, next, leaseMs)
        : sql.advance(h, id, holder(), read, position, next, leaseMs);
    if (moved != 1) {
      throw lostAt(read);
    }
  }

  /** Records the holder's state without moving the checkpoint; throws when the lease was lost. */
  void setState(Handle h, ProjectionState next, long read) {
    sql.limitTransaction(h, leaseMs);
    int set = segments != null ? segments.setState(h, id, segment(), holder(), next) : sql.setState(h, id, holder(), next);
    if (set != 1) {
      throw lostAt(read);
    }
  }

  /** Marks the projection FAILED as its holder; throws when the lease was lost. */
  void markFailed(Handle h, @Nullable Long position, String what, long read) {
    sql.limitTransaction(h, leaseMs);
    int marked = segments != null
        ? segments.markFailed(h, id, segment(), holder(), position, what)
        : sql.markFailed(h, id, holder(), position, what);
    if (marked != 1) {
      throw lostAt(read);
    }
  }

  /**
   * Moves the checkpoint back to 0 for a rebuild, as its holder (after {@link #lock}); throws when
   * the lease was lost. For segments, every segment goes back to 0 and every other holder's lease
   * is revoked; the caller locked them all first.
   */
  void reset(Handle h, long read) {
    if (segments != null) {
      segments.reset(h, id, segment(), leaseMs);
      segments.clearRebuildRequest(h, id);
      return;
    }
    if (sql.resetCheckpoint(h, id, holder(), read, leaseMs) != 1) {
      throw lostAt(read);
    }
  }

  /**
   * Hands {@code events} to an at-least-once handler under the lease's fencing token, checked
   * first here (the safe window may have passed since the batch was read) and between events by
   * the handlers {@link AtLeastOnceHandler#eachEvent} makes.
   */
  void deliver(AtLeastOnceHandler handler, List<RecordedEvent> events, long read) {
    FencingToken token = fencingToken(read);
    token.check();
    UserCode.invoke(() -> handler.apply(events, token));
  }

  /**
   * The fencing token for a delivery of the events after {@code read}: valid while this holder
   * keeps the lease it has now within its safe window.
   */
  FencingToken fencingToken(long read) {
    long value = token;
    return new FencingToken() {
      @Override
      public long value() {
        return value;
      }

      @Override
      public boolean valid() {
        return held && token == value && !expired();
      }

      @Override
      public void check() {
        if (!valid()) {
          throw new LostLeaseException(id, owner, read, "its lease (fencing token " + value + ") is no longer "
              + "safely held: not renewed within the lease less its safety margin, or taken by another runner. "
              + "It stops before applying the next event; the checkpoint did not move past " + read);
        }
      }
    };
  }
}
