package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.projections.AtLeastOnceHandler;
import dev.fabula.projections.FailurePolicy;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "apply, move checkpoint" step of a projection's {@link Worker}: hands a batch to the
 * handler and moves the checkpoint past it, and decides what a handler failure leads to. Worker
 * thread only.
 *
 * <p><b>One batch, one move.</b> A {@link TransactionalHandler} applies in the transaction that
 * moves the checkpoint ({@link Lease#lock} first, {@link Lease#advance} last). An {@link
 * AtLeastOnceHandler} applies first, and the checkpoint moves in a transaction after it, so a
 * crash in between applies the batch again. Events of streams that have a parked event are held
 * back (parked too, in the same transaction) instead of applied, so each stream is applied in
 * order.
 *
 * <p><b>Failures.</b> A failing batch is applied again one position at a time to find the culprit
 * (the events an upcaster splits one stored event into share its position, and go together);
 * the culprit is retried with exponential backoff; then the {@link FailurePolicy} applies: FAILED
 * (the worker waits for a resume), or parked in the dead-letter table in the transaction that
 * moves the checkpoint past it.
 */
final class Applier {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class); // the runner's log, one name for its parts

  private final ProjectionsImpl projections;
  private final ProjectionSql sql;
  private final RunnerConfig config;
  private final Projection projection;
  private final ProjectionId id;
  private final Lease lease;
  private final WorkerState state;
  /**
   * Whether this holder knows its dead-letter table holds back no stream: only the lease holder
   * parks events, and dismissals and retries only ever release streams, so once a look found none
   * there is nothing to look for until this holder parks one (or the lease changes hands).
   */
  private boolean noStreamHeldBack;

  Applier(ProjectionsImpl projections, RunnerConfig config, Projection projection, Lease lease, WorkerState state) {
    this.projections = projections;
    this.sql = projections.sql();
    this.config = config;
    this.projection = projection;
    this.id = projection.id();
    this.lease = lease;
    this.state = state;
  }

  /** The lease was (re)taken: another holder may have parked events meanwhile. */
  void leaseTaken() {
    noStreamHeldBack = false;
  }

  /** Applies {@code batch} ({@code full}: as long as the batch size, so more may follow). */
  void apply(List<RecordedEvent> batch, boolean full) {
    List<List<RecordedEvent>> positions;
    try {
      applyOnce(batch, full);
      return;
    } catch (ControlFlow.HandlerFailure f) {
      state.error(UserCode.describe(f.getCause()));
      positions = byPosition(batch);
      if (positions.size() == 1) {
        retry(batch, f.getCause(), full);
        return;
      }
      LOG.warn("Projection {}: a batch of {} events ({}..{}) failed ({}); applying them one position at a time to find the failing event",
          id, batch.size(), batch.get(0).position(), batch.get(batch.size() - 1).position(), state.lastError());
    }
    for (List<RecordedEvent> event : positions) {
      if (!state.running() || !lease.held() || state.isFailed()) {
        return;
      }
      try {
        applyOnce(event, full);
      } catch (ControlFlow.HandlerFailure f) {
        if (!retry(event, f.getCause(), full)) {
          return;
        }
      }
    }
  }

  /**
   * The batch cut by position: one list per stored event, which holds several events when an
   * upcaster splits it. Its parts share the position, so they are applied, retried and parked as one.
   */
  private static List<List<RecordedEvent>> byPosition(List<RecordedEvent> batch) {
    List<List<RecordedEvent>> out = new ArrayList<>();
    for (RecordedEvent e : batch) {
      if (out.isEmpty() || out.get(out.size() - 1).get(0).position() != e.position()) {
        out.add(new ArrayList<>());
      }
      out.get(out.size() - 1).add(e);
    }
    return out;
  }

  /** Nothing new: records that the projection is caught up, if the row does not say so yet. */
  void caughtUp() {
    if (state.current() == ProjectionState.RUNNING) {
      return;
    }
    boolean wasRebuilding = state.isRebuilding();
    sql.write("recording the state of projection " + id, h -> {
      lease.setState(h, ProjectionState.RUNNING, state.checkpoint());
      return null;
    });
    state.caughtUp();
    LOG.info("Projection {}: {} at position {}", id, wasRebuilding ? "rebuild caught up" : "caught up", state.checkpoint());
    projections.progressed();
  }

  /** Marks the projection FAILED at {@code position} (null: not at an event), and stops applying until it is resumed. */
  void fail(@Nullable Long position, String what, Throwable error) {
    sql.write("marking projection " + id + " failed", h -> {
      lease.markFailed(h, position, what, state.checkpoint());
      return null;
    });
    state.markFailed();
    state.error(what);
    LOG.error("Projection {} FAILED and stopped at checkpoint {}: {}. Fix the handler and call Projections.resume({}), "
        + "or configure FailurePolicy.PARK", id, state.checkpoint(), what, id, error);
    projections.progressed();
  }

  /** Retries one failing stored event (its parts, if split) with backoff; returns whether the runner may go on. */
  private boolean retry(List<RecordedEvent> event, Throwable firstError, boolean full) {
    RecordedEvent e = event.get(0);
    Throwable error = firstError;
    for (int attempt = 2; attempt <= config.maxAttempts(); attempt++) {
      Duration backoff = config.backoffBefore(attempt);
      LOG.warn("Projection {}: event at position {} (stream '{}', type {}) failed (attempt {} of {}): {}; retrying in {} ms",
          id, e.position(), e.streamId(), e.type(), attempt - 1, config.maxAttempts(), UserCode.describe(error),
          backoff.toMillis());
      state.error(UserCode.describe(error));
      projections.observers().retrying(id, attempt);
      state.waitFor("a retry of position " + e.position() + " (attempt " + attempt + " of " + config.maxAttempts() + ")",
          backoff, false);
      if (!state.running() || !lease.held()) {
        return false;
      }
      try {
        applyOnce(event, full);
        return true;
      } catch (ControlFlow.HandlerFailure f) {
        error = f.getCause();
      }
    }
    String what = "event at position " + e.position() + " (stream '" + e.streamId() + "' version " + e.streamVersion()
        + ", type " + e.type() + ") failed " + config.maxAttempts() + " times: " + UserCode.describe(error);
    if (projection.failurePolicy() == FailurePolicy.STOP) {
      fail(e.position(), what, error);
      return false;
    }
    parkFailed(e, error);
    return true;
  }

  /** Applies {@code events} and moves the checkpoint to the last one, in one go; see the class comment. */
  private void applyOnce(List<RecordedEvent> events, boolean full) {
    long read = state.checkpoint();
    long last = events.get(events.size() - 1).position();
    ProjectionState next = nextState(full);
    long started = System.nanoTime();
    lease.fencingToken(read).check(); // the safe window passed: apply nothing, even in a transaction
    int[] applied = new int[1];
    List<List<RecordedEvent>> appliedEvents = new java.util.ArrayList<>(1);
    if (projection.handler() instanceof TransactionalHandler handler) {
      sql.write("applying projection " + id, h -> {
        lease.lock(h, read, false);
        Split split = split(heldBackStreams(h), ofSegment(events));
        applied[0] = split.apply().size();
        appliedEvents.clear();
        appliedEvents.add(split.apply());
        if (!split.apply().isEmpty()) {
          UserCode.invoke(() -> handler.apply(h, split.apply()));
        }
        holdBack(h, split);
        lease.advance(h, read, last, next);
        return null;
      });
    } else {
      AtLeastOnceHandler handler = (AtLeastOnceHandler) projection.handler();
      Split split = split(sql.read("reading parked streams of " + id, this::heldBackStreams), ofSegment(events));
      applied[0] = split.apply().size();
      appliedEvents.add(split.apply());
      if (!split.apply().isEmpty()) {
        lease.deliver(handler, split.apply(), read);
      }
      sql.write("moving the checkpoint of projection " + id, h -> {
        lease.lock(h, read, false);
        holdBack(h, split);
        lease.advance(h, read, last, next);
        return null;
      });
    }
    long elapsed = System.nanoTime() - started;
    projections.observers().batchApplied(id, applied[0], elapsed);
    projections.observers().eventsApplied(id, appliedEvents.isEmpty() ? List.of() : appliedEvents.get(0), elapsed);
    committed(last, next, started);
  }

  /**
   * The events of the claimed segment ({@link SegmentSql.Shape#applies}); all of them for a whole
   * projection. The checkpoint still moves past the whole batch: the other events belong to other
   * segments, each of which reads the log for itself.
   */
  private List<RecordedEvent> ofSegment(List<RecordedEvent> events) {
    SegmentSql.Shape shape = lease.shape();
    if (shape == null || (shape.mask() == 0 && shape.skip() == null)) {
      return events;
    }
    return events.stream().filter(shape::applies).toList();
  }

  private void parkFailed(RecordedEvent e, Throwable error) {
    long read = state.checkpoint();
    ProjectionState next = state.current() == ProjectionState.REBUILDING ? ProjectionState.REBUILDING : ProjectionState.CATCHING_UP;
    long started = System.nanoTime();
    noStreamHeldBack = false;
    sql.write("parking an event of projection " + id, h -> {
      lease.lock(h, read, false);
      sql.park(h, id, e, null, UserCode.describe(error), config.maxAttempts());
      lease.advance(h, read, e.position(), next);
      return null;
    });
    LOG.warn("Projection {}: parked the event at position {} (stream {}, type {}) after {} attempts: {}. Later events "
            + "of that stream are held back; other streams go on. Retry with Projections.retryParked or dismiss it",
        id, e.position(), StreamKey.of(e), e.type(), config.maxAttempts(), UserCode.describe(error));
    projections.observers().parked(id);
    committed(e.position(), next, started);
  }

  private Map<StreamKey, Long> heldBackStreams(Handle h) {
    if (noStreamHeldBack) {
      return Map.of();
    }
    Map<StreamKey, Long> streams = sql.parkedStreams(h, id);
    noStreamHeldBack = streams.isEmpty();
    return streams;
  }

  private record Split(List<RecordedEvent> apply, List<RecordedEvent> park, Map<StreamKey, Long> parked) {}

  /**
   * Separates the events of held-back streams from the rest. A stream is its tenant and id, so a
   * parked event of acme's {@code order-1} never holds back globex's {@code order-1}.
   */
  private static Split split(Map<StreamKey, Long> parkedStreams, List<RecordedEvent> events) {
    if (parkedStreams.isEmpty()) {
      return new Split(events, List.of(), parkedStreams);
    }
    List<RecordedEvent> apply = new ArrayList<>();
    List<RecordedEvent> park = new ArrayList<>();
    for (RecordedEvent e : events) {
      (parkedStreams.containsKey(StreamKey.of(e)) ? park : apply).add(e);
    }
    return new Split(apply, park, parkedStreams);
  }

  private void holdBack(Handle h, Split split) {
    long previous = -1;
    for (RecordedEvent e : split.park()) {
      if (e.position() == previous) {
        continue; // another part of a split event: its position is parked once
      }
      previous = e.position();
      StreamKey stream = StreamKey.of(e);
      long first = split.parked().get(stream);
      sql.park(h, id, e, first, "held back: stream " + stream + " has a parked event at position " + first
          + ", and its events are applied in order", 0);
    }
    if (!split.park().isEmpty()) {
      LOG.info("Projection {}: held back {} events of parked streams", id, split.park().size());
    }
  }

  private ProjectionState nextState(boolean full) {
    if (full) {
      return state.isRebuilding() ? ProjectionState.REBUILDING : ProjectionState.CATCHING_UP;
    }
    return ProjectionState.RUNNING;
  }

  private void committed(long position, ProjectionState next, long started) {
    ProjectionState before = state.current();
    boolean wasRebuilding = state.isRebuilding();
    state.moved(position, next);
    lease.extend(started);
    if (wasRebuilding && next == ProjectionState.RUNNING) {
      LOG.info("Projection {}: rebuild caught up at position {}", id, position);
    } else if (before != next && next == ProjectionState.RUNNING) {
      LOG.info("Projection {}: caught up at position {}", id, position);
    }
    LOG.debug("Projection {}: checkpoint {}", id, position);
    projections.progressed();
  }
}
