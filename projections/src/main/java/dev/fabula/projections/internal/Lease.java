package dev.fabula.projections.internal;

import dev.fabula.projections.LostLeaseException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.RunnerConfig;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's lease on its projection's checkpoint row: taking it, renewing it, giving it up, and
 * the fence around every transaction that moves the checkpoint.
 *
 * <p><b>Locally</b>, the lease counts as held for {@link #LOCAL_LEASE_FRACTION} of its length after
 * the start of the last renewal that succeeded (a commit that moved the checkpoint renews it too),
 * so the worker stops applying before another runner can take it over. <b>In the database</b>,
 * a transaction that moves the checkpoint starts with {@link #lock} (the row is this owner's, at
 * the position read) and ends with {@link #advance} (the fenced update); either throws {@link
 * LostLeaseException} when the row is no longer this owner's at that position.
 *
 * <p>Thread safety: {@link #renew} runs on the runner's heartbeat thread; everything else on the
 * worker thread; {@link #held} and {@link #expired} may be read from any thread.
 */
final class Lease {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class); // the runner's log, one name for its parts
  /** A lease counts as ours locally for this fraction of its length after a renewal began. */
  private static final double LOCAL_LEASE_FRACTION = 0.9;

  private final ProjectionSql sql;
  private final ProjectionId id;
  private final String owner;
  private final RunnerConfig config;
  private final long leaseMs;
  private final AtomicLong validUntil = new AtomicLong();
  private volatile boolean held;

  Lease(ProjectionSql sql, ProjectionId id, String owner, RunnerConfig config) {
    this.sql = sql;
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

  /** Whether this worker holds the lease, as far as it knows. */
  boolean held() {
    return held;
  }

  /** Whether the local validity ran out: no renewal succeeded in time. */
  boolean expired() {
    return System.nanoTime() - validUntil.get() > 0;
  }

  /** The exception for a write that found the row no longer this owner's at {@code position}. */
  LostLeaseException lostAt(long position) {
    return new LostLeaseException(id, owner, position);
  }

  /** Tries to take the lease; returns where the projection stands, or empty when another runner holds it. */
  Optional<ProjectionSql.Acquired> take() {
    long started = System.nanoTime();
    Optional<ProjectionSql.Acquired> got =
        sql.write("taking the lease of projection " + id, h -> sql.acquire(h, id, owner, leaseMs));
    if (got.isPresent()) {
      validUntil.set(started + (long) (config.leaseDuration().toNanos() * LOCAL_LEASE_FRACTION));
      held = true;
    }
    return got;
  }

  /** Who holds the lease now and until when, for status while in standby. */
  String heldBy() {
    Optional<CheckpointRow> row = sql.read("reading projection " + id, h -> sql.readCheckpoint(h, id));
    return row.map(CheckpointRow::owner).orElse("?") + " until "
        + row.map(r -> Instant.ofEpochMilli(r.leaseUntilMs()).toString()).orElse("?");
  }

  /** Renews the lease if held; called by the heartbeat thread. A failure is logged; the lease then runs out locally. */
  void renew() {
    if (!held) {
      return;
    }
    long started = System.nanoTime();
    try {
      int renewed = sql.write("renewing the lease of projection " + id, h -> sql.renew(h, id, owner, leaseMs));
      if (renewed == 1) {
        extend(started);
        return;
      }
      Optional<CheckpointRow> row = sql.read("reading projection " + id, h -> sql.readCheckpoint(h, id));
      if (row.isPresent() && owner.equals(row.get().owner())) {
        return; // PostgreSQL: our own batch holds the row lock and extends the lease when it commits
      }
      LOG.warn("Projection {}: lease of {} lost to {}", id, owner, row.map(CheckpointRow::owner).orElse("nobody"));
      validUntil.set(started);
    } catch (RuntimeException e) {
      LOG.warn("Projection {}: could not renew the lease ({}); it stops applying if the lease runs out", id, e.getMessage());
    }
  }

  /** A renewal (or a commit that renews) began at {@code renewalStarted} and succeeded. */
  void extend(long renewalStarted) {
    long until = renewalStarted + (long) (config.leaseDuration().toNanos() * LOCAL_LEASE_FRACTION);
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
      sql.write("releasing the lease of projection " + id, h -> sql.release(h, id, owner));
      LOG.info("Projection {}: lease released by {} at checkpoint {}", id, owner, checkpoint);
    } catch (RuntimeException | Error e) {
      LOG.warn("Projection {}: could not release the lease ({}); another runner takes it when it expires", id, e.toString());
      if (UserCode.fatal(e)) {
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
    Optional<ProjectionSql.Locked> locked = sql.lock(h, id, owner, read, leaseMs);
    if (locked.isEmpty()) {
      throw lostAt(read);
    }
    if (!rebuilding && locked.get().rebuildRequested()) {
      throw new ControlFlow.RebuildRequested();
    }
  }

  /** Closes a checkpoint-moving transaction: moves the checkpoint from {@code read} to {@code position}. */
  void advance(Handle h, long read, long position, ProjectionState next) {
    if (sql.advance(h, id, owner, read, position, next, leaseMs) != 1) {
      throw lostAt(read);
    }
  }
}
