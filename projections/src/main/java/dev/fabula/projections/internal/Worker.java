package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.internal.Fatal;
import dev.fabula.projections.FailurePolicy;
import dev.fabula.projections.LostLeaseException;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one projection version in one thread: the runner's state machine.
 *
 * <pre>
 *   STANDBY ──lease taken──▶ control check ──▶ read a batch ──events──▶ apply, move checkpoint ─┐
 *      ▲                         │   ▲              │ none                                      │
 *      │ lease lost / stop        │   └──────────────┴── wait: append, NOTIFY, poll ◀────────────┘
 *      └──────────────────────────┘  (FAILED: wait for resume; rebuild and retry requests first)
 * </pre>
 *
 * <p>This class runs the loop and the control check (failed, rebuild and retry requests); its
 * parts do the steps: {@link Lease} (taking, renewing, and fencing every checkpoint move), {@link
 * BatchReader} (reading, and reading ahead while catching up), {@link Applier} (apply, move the
 * checkpoint, handler failures and the {@link FailurePolicy}), {@link ParkedRetries} (retry
 * requests). {@link WorkerState} is what they share.
 *
 * <p><b>Never skips.</b> The checkpoint only moves to the last position a {@code readAll} returned,
 * and only in a transaction that first locks the checkpoint row for this owner at the position it
 * read ({@code lock_checkpoint.sql}) and ends with the fenced update ({@code
 * advance_checkpoint.sql}); a {@link TransactionalHandler}'s writes are in that transaction.
 * Catching up and following live are the same loop, so there is no switch-over to get wrong.
 *
 * <p><b>Every {@code Throwable} accounted for.</b> A handler's failure, an {@link Error} included,
 * goes to the {@link Applier} and its {@link FailurePolicy}; any other failure of a step (the
 * database, an upcaster's {@code StackOverflowError}) is recorded in {@code lastError}, logged, and
 * the step is tried again with backoff. Only a fatal error ({@link dev.fabula.internal.Fatal}) ends the
 * thread: it is recorded for status first, and the lease is released on the way out, so the
 * heartbeat renews nothing for a worker that no longer works and another runner takes over.
 *
 * <p>Threads: the worker thread runs the loop and every part of it. The runner's heartbeat thread
 * calls {@link #heartbeat}; appends, notifications, admin requests and {@link #stop} signal from
 * any thread; status calls read {@link #live}.
 */
final class Worker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

  private final ProjectionsImpl projections;
  private final ProjectionSql sql;
  private final RunnerConfig config;
  private final Projection projection;
  private final ProjectionId id;
  private final WorkerState state = new WorkerState();
  private final Lease lease;
  private final BatchReader reader;
  private final Applier applier;
  private final ParkedRetries parked;
  private final @Nullable SegmentSql segments;

  private volatile boolean controlRequested = true;
  private long nextControlCheck = System.nanoTime();

  /**
   * A worker of {@code projection} as a whole ({@code segments} null), or of whichever of its
   * segments it claims ({@code owner} then names this thread).
   */
  Worker(ProjectionsImpl projections, RunnerConfig config, String owner, Projection projection,
      @Nullable SegmentSql segments) {
    this.projections = projections;
    this.sql = projections.sql();
    this.config = config;
    this.projection = projection;
    this.id = projection.id();
    this.segments = segments;
    this.lease = new Lease(sql, id, owner, config, segments);
    this.reader = new BatchReader(sql, projection);
    this.applier = new Applier(projections, config, projection, lease, state);
    this.parked = new ParkedRetries(projections, config, projection, lease, state);
  }

  ProjectionId id() {
    return id;
  }

  // ---- signals from other threads -----------------------------------------------------------

  /** New events may be in the log. */
  void eventsAppended() {
    state.eventsAppended();
  }

  /** An admin request concerns this projection: look at the checkpoint row now. */
  void poke() {
    controlRequested = true;
    state.controlSignal();
  }

  void stop() {
    state.stop();
  }

  /** Renews the lease, unless the worker thread died; called by the heartbeat thread. */
  void heartbeat() {
    if (!state.dead()) {
      lease.renew();
    }
  }

  // ---- the loop -----------------------------------------------------------------------------

  @Override
  public void run() {
    int errors = 0;
    try {
      while (state.running()) {
        try {
          step();
          errors = 0;
        } catch (LostLeaseException e) {
          LOG.warn(e.getMessage());
          lostLease();
        } catch (ControlFlow.RebuildRequested e) {
          controlRequested = true;
        } catch (RuntimeException | Error e) {
          if (Fatal.is(e)) {
            throw e;
          }
          if (!state.running()) {
            break;
          }
          // The database, the network, or an upcaster (not the handler: its failures go to the
          // FailurePolicy): back off as for handler failures, but never give up.
          errors++;
          Duration pause = config.backoffBefore(errors + 1);
          state.error(UserCode.describe(e));
          if (e instanceof Error) {
            LOG.error("Projection {}: {}; trying again in {} ms", id, e.toString(), pause.toMillis(), e);
          } else {
            LOG.warn("Projection {}: {}; trying again in {} ms", id, e.toString(), pause.toMillis());
          }
          state.waitFor((e instanceof Error ? "a retry, after: " : "the database, after: ") + e.getMessage(), pause, false);
        }
      }
    } catch (Throwable e) {
      // A fatal error (OutOfMemoryError, see UserCode.fatal): this JVM is in trouble, not the
      // event. Record it where status shows it, give the lease up (finally) so that a healthy
      // runner takes over, and let the thread die with it.
      state.died(UserCode.describe(e));
      LOG.error("Projection {}: the runner thread dies of {}; its lease is released so that another runner takes over. "
          + "Restart this runner (its other projections go on)", id, e.toString(), e);
      throw e;
    } finally {
      try {
        reader.close();
      } finally {
        release();
      }
    }
  }

  private void step() {
    if (!lease.held() && !acquire()) {
      return;
    }
    if (lease.expired()) {
      LOG.warn("Projection {}: the lease of {} (fencing token {}) was not renewed within its safe window; stopping "
          + "until it is taken again", lease.what(), lease.owner(), lease.token());
      lostLease();
      return;
    }
    if (state.isFailed() || controlRequested || System.nanoTime() - nextControlCheck >= 0) {
      if (!control()) {
        return;
      }
    }
    List<RecordedEvent> batch = reader.next(state.checkpoint());
    if (batch.isEmpty()) {
      applier.caughtUp();
      state.waitFor("new events", config.pollInterval(), true);
      return;
    }
    state.busy();
    boolean full = batch.size() == projection.batchSize();
    if (full) {
      reader.readAhead(batch.get(batch.size() - 1).position());
    }
    applier.apply(batch, full);
  }

  // ---- lease --------------------------------------------------------------------------------

  /** Takes the lease; when another runner holds it, waits in standby and returns false. */
  private boolean acquire() {
    Optional<ProjectionSql.Acquired> got = lease.take();
    if (got.isEmpty()) {
      String holder = "the lease, held by " + lease.heldBy();
      state.stopped();
      state.waitFor(holder, config.leaseDuration().dividedBy(3), false);
      return false;
    }
    ProjectionSql.Acquired a = got.get();
    state.leaseTaken(a.position(), a.state());
    controlRequested = true;
    applier.leaseTaken();
    LOG.info("Projection {}: lease taken by {} at checkpoint {} ({}), fencing token {}", lease.what(), lease.owner(),
        a.position(), a.state(), a.token());
    projections.progressed();
    return true;
  }

  private void lostLease() {
    lease.lost();
    state.stopped();
    state.activity("the lease (lost)");
  }

  private void release() {
    if (lease.held()) {
      state.stopped();
      lease.release(state.checkpoint());
    }
  }

  // ---- control: failed, rebuild and retry requests ------------------------------------------

  /** Looks at the checkpoint row; returns whether to go on reading events. */
  private boolean control() {
    controlRequested = false;
    nextControlCheck = System.nanoTime() + config.pollInterval().toNanos();
    Optional<CheckpointRow> found = sql.read("reading projection " + id, h -> sql.readCheckpoint(h, id));
    if (segments != null && found.isPresent()) {
      return controlSegment(found.get());
    }
    if (found.isEmpty()) {
      LOG.warn("Projection {}: its checkpoint row disappeared (dropped?); registering it again at 0", id);
      sql.write("registering projection " + id, h -> {
        sql.register(h, projection);
        return null;
      });
      lease.lost();
      return false;
    }
    CheckpointRow row = found.get();
    if (!lease.owner().equals(row.owner()) || row.fencingToken() != lease.token() || row.position() != state.checkpoint()) {
      throw lease.lostAt(state.checkpoint());
    }
    return controlRequests(row.state(), row.failedPosition(), row.lastError(), row);
  }

  /** {@link #control} for a segment: its own row for the lease and the state, the projection's for requests. */
  private boolean controlSegment(CheckpointRow projectionRow) {
    SegmentSql s = java.util.Objects.requireNonNull(segments);
    SegmentSql.Shape shape = java.util.Objects.requireNonNull(lease.shape());
    Optional<SegmentSql.Row> mine = sql.read("reading segments of " + id, h -> s.read(h, id)).stream()
        .filter(r -> r.segment() == shape.segment()).findFirst();
    if (mine.isEmpty() || !lease.owner().equals(mine.get().owner()) || mine.get().token() != lease.token()
        || mine.get().position() != state.checkpoint()) {
      throw lease.lostAt(state.checkpoint());
    }
    SegmentSql.Row row = mine.get();
    return controlRequests(row.state(), row.failedPosition(), row.lastError(), projectionRow);
  }

  /** FAILED, rebuild and retry requests, once the lease is known to be held. */
  private boolean controlRequests(ProjectionState rowState, @Nullable Long failedPosition, @Nullable String lastError,
      CheckpointRow row) {
    if (rowState == ProjectionState.FAILED) {
      state.markFailed();
      state.waitFor("Projections.resume or a rebuild: position " + failedPosition + " failed: " + lastError,
          config.pollInterval(), false);
      return false;
    }
    if (state.isFailed()) {
      state.resumed();
      LOG.info("Projection {}: resumed at checkpoint {}", id, state.checkpoint());
      projections.progressed();
    }
    if (row.rebuildRequested()) {
      rebuild();
      return false;
    }
    if (row.retryRequests() > 0) {
      parked.run();
    }
    return true;
  }

  /** Runs the reset hook, clears the dead letters and moves the checkpoint to 0, in one transaction. */
  private void rebuild() {
    if (!projection.rebuildable()) {
      // The request was accepted on another definition's declaration (a rolling deploy): never replay over the rows.
      String why = ProjectionsImpl.notRebuildable(id, "this runner's definition");
      applier.fail(null, why, new ProjectionException(why));
      return;
    }
    long read = state.checkpoint();
    LOG.info("Projection {}: rebuilding: reset hook, dead letters cleared, checkpoint {} -> 0", lease.what(), read);
    state.busy();
    try {
      sql.write("resetting projection " + id, h -> {
        if (segments != null) {
          // Every segment goes back to 0 under this transaction: the projection row first (two
          // rebuilders take turns), then every segment (PostgreSQL: waits for their open batches,
          // so that no batch commits rows the reset hook did not see, after it).
          segments.lockProjection(h, id);
          segments.lockAll(h, id);
        }
        lease.lock(h, read, true);
        UserCode.invoke(() -> projection.reset().reset(h));
        sql.deleteDeadLetters(h, id);
        lease.reset(h, read);
        return null;
      });
    } catch (ControlFlow.HandlerFailure f) {
      applier.fail(null, "the reset hook failed: " + UserCode.describe(f.getCause()), f.getCause());
      return;
    }
    state.rebuildStarted();
    projections.progressed();
  }

  // ---- status -------------------------------------------------------------------------------

  /** A status snapshot of the live worker. */
  record Live(ProjectionState state, @Nullable String waitingFor, @Nullable String lastError, boolean leased, boolean dead) {}

  Live live() {
    return new Live(state.current(), state.waitingFor(), state.lastError(), lease.held(), state.dead());
  }
}
