package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.projections.AtLeastOnceHandler;
import dev.fabula.projections.FailurePolicy;
import dev.fabula.projections.LostLeaseException;
import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
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
 * <p><b>Reading ahead.</b> While catching up, the next batch is read (on a helper thread) while the
 * current one is applied and committed; it is used only if the checkpoint ends exactly where that
 * read started.
 *
 * <p><b>Never skips.</b> The checkpoint only moves to the last position a {@code readAll} returned,
 * and only in a transaction that first locks the checkpoint row for this owner at the position it
 * read ({@code lock_checkpoint.sql}) and ends with the fenced update ({@code
 * advance_checkpoint.sql}); a {@link TransactionalHandler}'s writes are in that transaction.
 * Catching up and following live are the same loop, so there is no switch-over to get wrong.
 *
 * <p><b>Failures.</b> A failing batch is retried one event at a time to find the culprit; the
 * culprit is retried with exponential backoff; then the {@link FailurePolicy} applies: FAILED, or
 * parked in the dead-letter table in the transaction that moves the checkpoint past it, with every
 * later event of its stream held back until a retry or a dismissal.
 *
 * <p>Fields without {@code volatile} belong to the worker thread; the volatile ones are read by
 * status calls and written by the heartbeat too.
 */
final class Worker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);
  /** A lease counts as ours locally for this fraction of its length after a renewal began. */
  private static final double LOCAL_LEASE_FRACTION = 0.9;

  /** Exceptions that steer the loop; they roll back the transaction they leave. */
  abstract static class ControlFlow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ControlFlow(@Nullable Throwable cause) {
      super(null, cause, false, false);
    }
  }

  /** The handler (or reset hook) threw. */
  static final class HandlerFailure extends ControlFlow {
    private static final long serialVersionUID = 1L;

    HandlerFailure(Throwable cause) {
      super(cause);
    }
  }

  /** A rebuild was requested: drop the batch and rebuild first. */
  static final class RebuildRequested extends ControlFlow {
    private static final long serialVersionUID = 1L;

    RebuildRequested() {
      super(null);
    }
  }

  /** A parked event was dismissed while being retried: do not apply it. */
  static final class Dismissed extends ControlFlow {
    private static final long serialVersionUID = 1L;

    Dismissed() {
      super(null);
    }
  }

  private final ProjectionsImpl projections;
  private final ProjectionSql sql;
  private final RunnerConfig config;
  private final String owner;
  private final Projection projection;
  private final ProjectionId id;
  private final long leaseMs;
  private final Wakeup wakeup = new Wakeup();
  private final AtomicLong leaseValidUntil = new AtomicLong();

  private volatile boolean running = true;
  private volatile boolean leased;
  private volatile boolean controlRequested = true;
  private volatile ProjectionState state = ProjectionState.STOPPED;
  private volatile String activity = "starting";
  private volatile Instant activitySince = Instant.now();
  private volatile @Nullable String lastError;

  private long checkpoint;
  /** The next batch, read while the current one commits (catching up); see {@link #nextBatch}. */
  private @Nullable Prefetch prefetch;
  private @Nullable ExecutorService prefetcher;
  /**
   * Whether this holder knows its dead-letter table holds back no stream: only the lease holder
   * parks events, and dismissals and retries only ever release streams, so once a look found none
   * there is nothing to look for until this holder parks one (or the lease changes hands).
   */
  private boolean noStreamHeldBack;
  private boolean failed;
  private boolean rebuilding;
  private long nextControlCheck = System.nanoTime();

  Worker(ProjectionsImpl projections, RunnerConfig config, String owner, Projection projection) {
    this.projections = projections;
    this.sql = projections.sql();
    this.config = config;
    this.owner = owner;
    this.projection = projection;
    this.id = projection.id();
    this.leaseMs = config.leaseDuration().toMillis();
  }

  ProjectionId id() {
    return id;
  }

  // ---- signals from other threads -----------------------------------------------------------

  /** New events may be in the log. */
  void eventsAppended() {
    wakeup.events();
  }

  /** An admin request concerns this projection: look at the checkpoint row now. */
  void poke() {
    controlRequested = true;
    wakeup.control();
  }

  void stop() {
    running = false;
    wakeup.control();
  }

  /** What it waits for, for status; null while it works. */
  @Nullable String waitingFor() {
    String a = activity;
    return a.isEmpty() ? null : a + " (since " + activitySince + ")";
  }

  // ---- the loop -----------------------------------------------------------------------------

  @Override
  public void run() {
    int errors = 0;
    try {
      while (running) {
        try {
          step();
          errors = 0;
        } catch (LostLeaseException e) {
          LOG.warn(e.getMessage());
          lostLease();
        } catch (RebuildRequested e) {
          controlRequested = true;
        } catch (RuntimeException e) {
          if (!running) {
            break;
          }
          // The database or the network: back off as for handler failures, but never give up.
          errors++;
          Duration pause = config.backoffBefore(errors + 1);
          lastError = describe(e);
          LOG.warn("Projection {}: {}; trying again in {} ms", id, e.toString(), pause.toMillis());
          waitFor("the database, after: " + e.getMessage(), pause, false);
        }
      }
    } catch (Error e) {
      LOG.error("Projection {}: the runner thread dies of {}", id, e.toString(), e);
      throw e;
    } finally {
      if (prefetcher != null) {
        prefetcher.shutdownNow();
      }
      release();
    }
  }

  private void step() {
    if (!leased && !acquire()) {
      waitFor(activity, standbyInterval(), false);
      return;
    }
    if (System.nanoTime() - leaseValidUntil.get() > 0) {
      LOG.warn("Projection {}: the lease of {} was not renewed in time; stopping until it is taken again", id, owner);
      lostLease();
      return;
    }
    if (failed || controlRequested || System.nanoTime() - nextControlCheck >= 0) {
      if (!control()) {
        return;
      }
    }
    List<RecordedEvent> batch = nextBatch();
    if (batch.isEmpty()) {
      idle();
      return;
    }
    busy();
    boolean full = batch.size() == projection.batchSize();
    if (full) {
      long after = batch.get(batch.size() - 1).position();
      prefetch = new Prefetch(after, prefetcher().submit(() -> read(after)));
    }
    process(batch, full);
  }

  /** A read of the batch after {@code after}, under way. */
  private record Prefetch(long after, Future<List<RecordedEvent>> events) {}

  /**
   * The events after the checkpoint: the prefetched batch if it was read from exactly the
   * checkpoint (whatever happened meanwhile, it is then what {@code readAll} returned after the
   * checkpoint: a prefix of what a new read would return), else a new read.
   */
  private List<RecordedEvent> nextBatch() {
    Prefetch p = prefetch;
    prefetch = null;
    if (p != null) {
      if (p.after() == checkpoint) {
        try {
          return p.events().get();
        } catch (ExecutionException e) {
          LOG.debug("Projection {}: reading ahead failed ({}); reading again", id, e.getCause().toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        p.events().cancel(false);
      }
    }
    return read(checkpoint);
  }

  private ExecutorService prefetcher() {
    if (prefetcher == null) {
      prefetcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, Thread.currentThread().getName() + "-read-ahead");
        t.setDaemon(true);
        return t;
      });
    }
    return prefetcher;
  }

  private Duration standbyInterval() {
    return config.leaseDuration().dividedBy(3);
  }

  private List<RecordedEvent> read(long after) {
    try (Stream<RecordedEvent> events = sql.store().readAll(projection.filter().after(after, projection.batchSize()))) {
      return events.toList();
    }
  }

  // ---- lease --------------------------------------------------------------------------------

  private boolean acquire() {
    long started = System.nanoTime();
    Optional<ProjectionSql.Acquired> got =
        sql.write("taking the lease of projection " + id, h -> sql.acquire(h, id, owner, leaseMs));
    if (got.isEmpty()) {
      Optional<CheckpointRow> row = sql.read("reading projection " + id, h -> sql.readCheckpoint(h, id));
      activity("the lease, held by " + row.map(CheckpointRow::owner).orElse("?") + " until "
          + row.map(r -> Instant.ofEpochMilli(r.leaseUntilMs()).toString()).orElse("?"));
      state = ProjectionState.STOPPED;
      return false;
    }
    ProjectionSql.Acquired a = got.get();
    leaseValidUntil.set(started + (long) (config.leaseDuration().toNanos() * LOCAL_LEASE_FRACTION));
    leased = true;
    checkpoint = a.position();
    failed = a.state() == ProjectionState.FAILED;
    rebuilding = a.state() == ProjectionState.REBUILDING;
    state = a.state();
    controlRequested = true;
    noStreamHeldBack = false;
    LOG.info("Projection {}: lease taken by {} at checkpoint {} ({})", id, owner, checkpoint, state);
    projections.progressed();
    return true;
  }

  /** Called by the heartbeat thread. */
  void heartbeat() {
    if (!leased) {
      return;
    }
    long started = System.nanoTime();
    try {
      int renewed = sql.write("renewing the lease of projection " + id, h -> sql.renew(h, id, owner, leaseMs));
      if (renewed == 1) {
        extendLocalLease(started);
        return;
      }
      Optional<CheckpointRow> row = sql.read("reading projection " + id, h -> sql.readCheckpoint(h, id));
      if (row.isPresent() && owner.equals(row.get().owner())) {
        return; // PostgreSQL: our own batch holds the row lock and extends the lease when it commits
      }
      LOG.warn("Projection {}: lease of {} lost to {}", id, owner, row.map(CheckpointRow::owner).orElse("nobody"));
      leaseValidUntil.set(started);
    } catch (RuntimeException e) {
      LOG.warn("Projection {}: could not renew the lease ({}); it stops applying if the lease runs out", id, e.getMessage());
    }
  }

  private void extendLocalLease(long renewalStarted) {
    long until = renewalStarted + (long) (config.leaseDuration().toNanos() * LOCAL_LEASE_FRACTION);
    leaseValidUntil.accumulateAndGet(until, (a, b) -> a - b > 0 ? a : b);
  }

  private void lostLease() {
    leased = false;
    state = ProjectionState.STOPPED;
    activity("the lease (lost)");
  }

  private void release() {
    if (!leased) {
      return;
    }
    leased = false;
    state = ProjectionState.STOPPED;
    try {
      sql.write("releasing the lease of projection " + id, h -> sql.release(h, id, owner));
      LOG.info("Projection {}: lease released by {} at checkpoint {}", id, owner, checkpoint);
    } catch (RuntimeException e) {
      LOG.warn("Projection {}: could not release the lease ({}); another runner takes it when it expires", id, e.getMessage());
    }
  }

  // ---- control: failed, rebuild and retry requests ------------------------------------------

  /** Looks at the checkpoint row; returns whether to go on reading events. */
  private boolean control() {
    controlRequested = false;
    nextControlCheck = System.nanoTime() + config.pollInterval().toNanos();
    Optional<CheckpointRow> found = sql.read("reading projection " + id, h -> sql.readCheckpoint(h, id));
    if (found.isEmpty()) {
      LOG.warn("Projection {}: its checkpoint row disappeared (dropped?); registering it again at 0", id);
      sql.write("registering projection " + id, h -> {
        sql.register(h, id, projection.filter());
        return null;
      });
      leased = false;
      return false;
    }
    CheckpointRow row = found.get();
    if (!owner.equals(row.owner()) || row.position() != checkpoint) {
      throw new LostLeaseException(id, owner, checkpoint);
    }
    if (row.state() == ProjectionState.FAILED) {
      failed = true;
      state = ProjectionState.FAILED;
      waitFor("Projections.resume or a rebuild: position " + row.failedPosition() + " failed: " + row.lastError(),
          config.pollInterval(), false);
      return false;
    }
    if (failed) {
      failed = false;
      state = ProjectionState.CATCHING_UP;
      LOG.info("Projection {}: resumed at checkpoint {}", id, checkpoint);
      projections.progressed();
    }
    if (row.rebuildRequested()) {
      rebuild();
      return false;
    }
    if (row.retryRequests() > 0) {
      retryParked();
    }
    return true;
  }

  private void rebuild() {
    long read = checkpoint;
    LOG.info("Projection {}: rebuilding: reset hook, dead letters cleared, checkpoint {} -> 0", id, read);
    activity("");
    try {
      sql.write("resetting projection " + id, h -> {
        lock(h, read, true);
        invoke(() -> projection.reset().reset(h));
        sql.deleteDeadLetters(h, id);
        if (sql.resetCheckpoint(h, id, owner, read, leaseMs) != 1) {
          throw new LostLeaseException(id, owner, read);
        }
        return null;
      });
    } catch (HandlerFailure f) {
      fail(null, "the reset hook failed: " + describe(f.getCause()), f.getCause());
      return;
    }
    checkpoint = 0;
    rebuilding = true;
    state = ProjectionState.REBUILDING;
    projections.progressed();
  }

  // ---- applying -----------------------------------------------------------------------------

  private void process(List<RecordedEvent> batch, boolean full) {
    try {
      applyOnce(batch, full);
      return;
    } catch (HandlerFailure f) {
      lastError = describe(f.getCause());
      if (batch.size() == 1) {
        retry(batch.get(0), f.getCause(), full);
        return;
      }
      LOG.warn("Projection {}: a batch of {} events ({}..{}) failed ({}); applying them one at a time to find the failing event",
          id, batch.size(), batch.get(0).position(), batch.get(batch.size() - 1).position(), lastError);
    }
    for (RecordedEvent e : batch) {
      if (!running || !leased || failed) {
        return;
      }
      try {
        applyOnce(List.of(e), full);
      } catch (HandlerFailure f) {
        if (!retry(e, f.getCause(), full)) {
          return;
        }
      }
    }
  }

  /** Retries one failing event with backoff; returns whether the runner may go on. */
  private boolean retry(RecordedEvent e, Throwable firstError, boolean full) {
    Throwable error = firstError;
    for (int attempt = 2; attempt <= config.maxAttempts(); attempt++) {
      Duration backoff = config.backoffBefore(attempt);
      LOG.warn("Projection {}: event at position {} (stream '{}', type {}) failed (attempt {} of {}): {}; retrying in {} ms",
          id, e.position(), e.streamId(), e.type(), attempt - 1, config.maxAttempts(), describe(error), backoff.toMillis());
      lastError = describe(error);
      waitFor("a retry of position " + e.position() + " (attempt " + attempt + " of " + config.maxAttempts() + ")",
          backoff, false);
      if (!running || !leased) {
        return false;
      }
      try {
        applyOnce(List.of(e), full);
        return true;
      } catch (HandlerFailure f) {
        error = f.getCause();
      }
    }
    String what = "event at position " + e.position() + " (stream '" + e.streamId() + "' version " + e.streamVersion()
        + ", type " + e.type() + ") failed " + config.maxAttempts() + " times: " + describe(error);
    if (projection.failurePolicy() == FailurePolicy.STOP) {
      fail(e.position(), what, error);
      return false;
    }
    parkFailed(e, error);
    return true;
  }

  /** Applies {@code events} and moves the checkpoint to the last one, in one go; see the class comment. */
  private void applyOnce(List<RecordedEvent> events, boolean full) {
    long read = checkpoint;
    long last = events.get(events.size() - 1).position();
    ProjectionState next = nextState(full);
    long started = System.nanoTime();
    if (projection.handler() instanceof TransactionalHandler handler) {
      sql.write("applying projection " + id, h -> {
        lock(h, read, false);
        Split split = split(heldBackStreams(h), events);
        if (!split.apply().isEmpty()) {
          invoke(() -> handler.apply(h, split.apply()));
        }
        holdBack(h, split);
        advance(h, read, last, next);
        return null;
      });
    } else {
      AtLeastOnceHandler handler = (AtLeastOnceHandler) projection.handler();
      Split split = split(sql.read("reading parked streams of " + id, this::heldBackStreams), events);
      if (System.nanoTime() - leaseValidUntil.get() > 0) {
        throw new LostLeaseException(id, owner, read);
      }
      if (!split.apply().isEmpty()) {
        invoke(() -> handler.apply(split.apply()));
      }
      sql.write("moving the checkpoint of projection " + id, h -> {
        lock(h, read, false);
        holdBack(h, split);
        advance(h, read, last, next);
        return null;
      });
    }
    committed(last, next, started);
  }

  private void parkFailed(RecordedEvent e, Throwable error) {
    long read = checkpoint;
    ProjectionState next = state == ProjectionState.REBUILDING ? state : ProjectionState.CATCHING_UP;
    long started = System.nanoTime();
    noStreamHeldBack = false;
    sql.write("parking an event of projection " + id, h -> {
      lock(h, read, false);
      sql.park(h, id, e, null, describe(error), config.maxAttempts());
      advance(h, read, e.position(), next);
      return null;
    });
    LOG.warn("Projection {}: parked the event at position {} (stream '{}', type {}) after {} attempts: {}. Later events "
            + "of that stream are held back; other streams go on. Retry with Projections.retryParked or dismiss it",
        id, e.position(), e.streamId(), e.type(), config.maxAttempts(), describe(error));
    committed(e.position(), next, started);
  }

  private void fail(@Nullable Long position, String what, Throwable error) {
    sql.write("marking projection " + id + " failed", h -> {
      if (sql.markFailed(h, id, owner, position, what) != 1) {
        throw new LostLeaseException(id, owner, checkpoint);
      }
      return null;
    });
    failed = true;
    state = ProjectionState.FAILED;
    lastError = what;
    LOG.error("Projection {} FAILED and stopped at checkpoint {}: {}. Fix the handler and call Projections.resume({}), "
        + "or configure FailurePolicy.PARK", id, checkpoint, what, id, error);
    projections.progressed();
  }

  private Map<String, Long> heldBackStreams(Handle h) {
    if (noStreamHeldBack) {
      return Map.of();
    }
    Map<String, Long> streams = sql.parkedStreams(h, id);
    noStreamHeldBack = streams.isEmpty();
    return streams;
  }

  private record Split(List<RecordedEvent> apply, List<RecordedEvent> park, Map<String, Long> parked) {}

  /** Separates the events of held-back streams from the rest. */
  private static Split split(Map<String, Long> parkedStreams, List<RecordedEvent> events) {
    if (parkedStreams.isEmpty()) {
      return new Split(events, List.of(), parkedStreams);
    }
    List<RecordedEvent> apply = new ArrayList<>();
    List<RecordedEvent> park = new ArrayList<>();
    for (RecordedEvent e : events) {
      (parkedStreams.containsKey(e.streamId()) ? park : apply).add(e);
    }
    return new Split(apply, park, parkedStreams);
  }

  private void holdBack(Handle h, Split split) {
    for (RecordedEvent e : split.park()) {
      long first = split.parked().get(e.streamId());
      sql.park(h, id, e, first, "held back: stream '" + e.streamId() + "' has a parked event at position " + first
          + ", and its events are applied in order", 0);
    }
    if (!split.park().isEmpty()) {
      LOG.info("Projection {}: held back {} events of parked streams", id, split.park().size());
    }
  }

  private void lock(Handle h, long read, boolean rebuilding) {
    Optional<ProjectionSql.Locked> locked = sql.lock(h, id, owner, read, leaseMs);
    if (locked.isEmpty()) {
      throw new LostLeaseException(id, owner, read);
    }
    if (!rebuilding && locked.get().rebuildRequested()) {
      throw new RebuildRequested();
    }
  }

  private void advance(Handle h, long read, long position, ProjectionState next) {
    if (sql.advance(h, id, owner, read, position, next, leaseMs) != 1) {
      throw new LostLeaseException(id, owner, read);
    }
  }

  private ProjectionState nextState(boolean full) {
    if (full) {
      return rebuilding ? ProjectionState.REBUILDING : ProjectionState.CATCHING_UP;
    }
    return ProjectionState.RUNNING;
  }

  private void committed(long position, ProjectionState next, long started) {
    ProjectionState before = state;
    checkpoint = position;
    state = next;
    lastError = null;
    extendLocalLease(started);
    if (rebuilding && next == ProjectionState.RUNNING) {
      rebuilding = false;
      LOG.info("Projection {}: rebuild caught up at position {}", id, position);
    } else if (before != next && next == ProjectionState.RUNNING) {
      LOG.info("Projection {}: caught up at position {}", id, position);
    }
    LOG.debug("Projection {}: checkpoint {}", id, position);
    projections.progressed();
  }

  /** Nothing new: record that it is caught up, then wait for a signal or the poll interval. */
  private void idle() {
    if (state != ProjectionState.RUNNING) {
      boolean wasRebuilding = rebuilding;
      sql.write("recording the state of projection " + id, h -> {
        if (sql.setState(h, id, owner, ProjectionState.RUNNING) != 1) {
          throw new LostLeaseException(id, owner, checkpoint);
        }
        return null;
      });
      state = ProjectionState.RUNNING;
      rebuilding = false;
      LOG.info("Projection {}: {} at position {}", id, wasRebuilding ? "rebuild caught up" : "caught up", checkpoint);
      projections.progressed();
    }
    waitFor("new events", config.pollInterval(), true);
  }

  // ---- retries of parked events -------------------------------------------------------------

  private void retryParked() {
    List<String> streams = sql.read("reading retry requests of " + id, h -> sql.retryStreams(h, id));
    for (String stream : streams) {
      List<DeadLetterRow> rows = sql.read("reading parked events of " + id, h -> sql.streamDeadLetters(h, id, stream));
      LOG.info("Projection {}: retrying {} parked events of stream '{}'", id, rows.size(), stream);
      for (int i = 0; i < rows.size(); i++) {
        if (!running || !leased) {
          return;
        }
        if (!retryParked(rows.get(i))) {
          for (DeadLetterRow rest : rows.subList(i + 1, rows.size())) {
            sql.write("updating a parked event of " + id, h ->
                sql.settle(h, id, rest.position(), ParkedEvent.Status.PARKED, rest.reason(), rest.attempts()));
          }
          break;
        }
      }
    }
  }

  /** Retries one parked event; returns whether it is settled (applied or gone). */
  private boolean retryParked(DeadLetterRow row) {
    long position = row.position();
    Optional<RecordedEvent> event = sql.read("reading the event at " + position, h -> sql.eventAt(h, position));
    if (event.isEmpty()) {
      sql.write("updating a parked event of " + id, h -> sql.settle(h, id, position, ParkedEvent.Status.DISMISSED,
          "the event is no longer in the log (its stream was erased)", row.attempts()));
      return true;
    }
    RecordedEvent e = event.get();
    Throwable error = null;
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      if (attempt > 1) {
        waitFor("a retry of parked position " + position, config.backoffBefore(attempt), false);
        if (!running || !leased) {
          return false;
        }
      }
      int attempts = row.attempts() + attempt;
      String reason = "applied by a retry at " + Instant.now() + " after: " + row.reason();
      try {
        if (projection.handler() instanceof TransactionalHandler handler) {
          sql.write("retrying a parked event of " + id, h -> {
            lock(h, checkpoint, true);
            if (sql.settle(h, id, position, ParkedEvent.Status.APPLIED, reason, attempts) != 1) {
              throw new Dismissed();
            }
            invoke(() -> handler.apply(h, List.of(e)));
            return null;
          });
        } else {
          AtLeastOnceHandler handler = (AtLeastOnceHandler) projection.handler();
          invoke(() -> handler.apply(List.of(e)));
          sql.write("retrying a parked event of " + id, h -> {
            lock(h, checkpoint, true);
            return sql.settle(h, id, position, ParkedEvent.Status.APPLIED, reason, attempts);
          });
        }
        LOG.info("Projection {}: parked event at position {} applied by a retry", id, position);
        projections.progressed();
        return true;
      } catch (Dismissed d) {
        return true;
      } catch (HandlerFailure f) {
        error = f.getCause();
      }
    }
    String why = describe(error);
    int attempts = row.attempts() + config.maxAttempts();
    sql.write("updating a parked event of " + id,
        h -> sql.settle(h, id, position, ParkedEvent.Status.PARKED, why, attempts));
    LOG.warn("Projection {}: parked event at position {} failed its retry ({} attempts): {}; it stays parked", id,
        position, config.maxAttempts(), why);
    projections.progressed();
    return false;
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A call into user code. */
  @FunctionalInterface
  private interface UserCode {
    void run() throws Exception;
  }

  private static void invoke(UserCode code) {
    try {
      code.run();
    } catch (ControlFlow | LostLeaseException e) {
      throw e;
    } catch (Exception | AssertionError | LinkageError e) {
      throw new HandlerFailure(e);
    }
  }

  private void busy() {
    activity("");
  }

  private void activity(String what) {
    if (!what.equals(activity)) {
      activity = what;
      activitySince = Instant.now();
    }
  }

  private void waitFor(String what, Duration duration, boolean forEvents) {
    activity(what);
    wakeup.await(duration.toNanos(), forEvents);
  }

  static String describe(@Nullable Throwable e) {
    if (e == null) {
      return "unknown error";
    }
    String message = e.getMessage();
    return e.getClass().getName() + (message == null ? "" : ": " + message);
  }

  /** A status snapshot of the live worker. */
  record Live(ProjectionState state, @Nullable String waitingFor, @Nullable String lastError, boolean leased) {}

  Live live() {
    return new Live(state, waitingFor(), lastError, leased);
  }
}
