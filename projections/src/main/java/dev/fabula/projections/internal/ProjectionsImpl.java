package dev.fabula.projections.internal;

import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.projections.Delivery;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.EventParkedException;
import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.spi.ProjectionObserver;
import dev.fabula.projections.ProjectionFailedException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.ProjectionStatus;
import dev.fabula.projections.ProjectionTimeoutException;
import dev.fabula.projections.Projections;
import dev.fabula.projections.ResetHook;
import dev.fabula.projections.RunnerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Projections} on the tables of {@link ProjectionSql}. Keeps the workers of this process's
 * runners, to wake them on appends and admin requests and to add what they wait for to statuses;
 * and a progress counter that {@link #awaitPosition} waits on, so that a wait in the process that
 * runs the projection ends as soon as the checkpoint commits. Waits in other processes poll.
 * {@link Statuses} builds the statuses, {@link DeliveryAudit} answers {@link #delivery}.
 */
public final class ProjectionsImpl implements Projections {
  private static final Logger LOG = LoggerFactory.getLogger(Projections.class);
  /** Longest pause between two looks at a checkpoint while waiting for it. */
  private static final long MAX_AWAIT_POLL_MS = 50;

  private final JdbcEventStore store;
  private final ProjectionSql sql;
  private final Statuses statuses;
  private final Segments segments;
  private final DeliveryAudit deliveries;
  private final List<Worker> workers = new CopyOnWriteArrayList<>();
  private final Progress progress = new Progress();
  private final Observers observers = new Observers();

  /** The read models of this process's projections, erased with the store's erasures. */
  private final ReadModelErasure readModels = new ReadModelErasure();

  private ProjectionsImpl(JdbcEventStore store, ProjectionSql sql) {
    this.store = store;
    this.sql = sql;
    this.statuses = new Statuses(store, sql);
    this.segments = new Segments(sql);
    this.deliveries = new DeliveryAudit(store, sql);
  }

  /** See {@link Projections#open}. */
  public static ProjectionsImpl open(JdbcEventStore store) {
    ProjectionsImpl projections = new ProjectionsImpl(store, ProjectionSql.open(store));
    store.onAppend(position -> projections.workers.forEach(Worker::eventsAppended));
    store.onErase(projections.readModels);
    return projections;
  }

  /** What this process's runners tell of their batches; see {@link ProjectionObserver}. */
  Observers observers() {
    return observers;
  }

  @Override
  public JdbcEventStore.Registration observe(ProjectionObserver observer) {
    if (observer == null) {
      throw new ProjectionException("observer must not be null");
    }
    return observers.add(observer)::run;
  }

  ProjectionSql sql() {
    return sql;
  }

  Segments segments() {
    return segments;
  }

  void attach(Worker worker) {
    workers.add(worker);
  }

  void detach(Worker worker) {
    workers.remove(worker);
  }

  /** A checkpoint moved (or a state changed) in this process. */
  void progressed() {
    progress.signal();
  }

  /**
   * Blocks until a projection of this process makes progress (a checkpoint, a state, a parked
   * event changes) or {@code timeout} passes; for tests and tools that wait for a condition.
   */
  public void awaitProgress(Duration timeout) {
    try {
      progress.awaitChange(progress.seen(), timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void poke(ProjectionId id) {
    workers.stream().filter(w -> w.id().equals(id)).forEach(Worker::poke);
  }

  @Override
  public JdbcEventStore store() {
    return store;
  }

  @Override
  public ProjectionRunner runner(RunnerConfig config, List<Projection> projections) {
    Set<ProjectionId> seen = new HashSet<>();
    for (Projection p : projections) {
      if (!seen.add(p.id())) {
        throw new ProjectionException("projection " + p.id() + " is listed twice; a runner runs each version once");
      }
    }
    readModels.add(projections);
    return new RunnerImpl(this, config, projections);
  }

  // ---- status -------------------------------------------------------------------------------

  /** The checkpoint row; for a segmented projection, the whole as its segments show it ({@link Segments#fold}). */
  private CheckpointRow row(ProjectionId id) {
    CheckpointRow raw = rawRow(id);
    return Segments.segmented(raw) ? segments.fold(raw, segments.rows(id)) : raw;
  }

  /** The checkpoint row as stored (for a segmented projection, what belongs to the whole only). */
  private CheckpointRow rawRow(ProjectionId id) {
    return sql.read("reading projection " + id, h -> sql.readCheckpoint(h, id)).orElseThrow(() -> unknown(id));
  }

  private static ProjectionException unknown(ProjectionId id) {
    return new ProjectionException("projection " + id + " is not registered; run it once with a ProjectionRunner "
        + "(Projections.runner registers it), or check its name and version");
  }

  @Override
  public ProjectionStatus status(ProjectionId id) {
    return status(rawRow(id));
  }

  @Override
  public List<ProjectionStatus> statuses() {
    return sql.read("reading projections", sql::listCheckpoints).stream().map(this::status).toList();
  }

  private ProjectionStatus status(CheckpointRow raw) {
    List<SegmentSql.Row> rows = Segments.segmented(raw) ? segments.rows(raw.id()) : List.of();
    CheckpointRow row = segments.fold(raw, rows);
    // The worker of this process that holds the lease; else, while no runner holds it, one whose thread died here.
    List<Worker.Live> lives = workers.stream().filter(w -> w.id().equals(row.id())).map(Worker::live).toList();
    Worker.Live live = lives.stream().filter(Worker.Live::leased).findFirst()
        .orElseGet(() -> row.leased() ? null : lives.stream().filter(Worker.Live::dead).findFirst().orElse(null));
    return statuses.of(row, live, Segments.statuses(row, rows));
  }

  // ---- read-your-writes ---------------------------------------------------------------------

  @Override
  public void awaitPosition(ProjectionId id, long position, Duration timeout) {
    awaitPosition(id, position, timeout, true);
  }

  /** Waits as {@link #awaitPosition}; {@code parkedIsError}: throw if the event at {@code position} was not applied. */
  private void awaitPosition(ProjectionId id, long position, Duration timeout, boolean parkedIsError) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 1;
    while (true) {
      long seen = progress.seen();
      if (reached(id, position)) {
        if (parkedIsError) {
          Optional<DeadLetterRow> dead = sql.read("reading dead letters of " + id, h -> sql.deadLetterAt(h, id, position));
          if (dead.isPresent() && dead.get().status() != ParkedEvent.Status.APPLIED) {
            throw new EventParkedException(dead.get().toParkedEvent());
          }
        }
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new ProjectionTimeoutException(position, status(id));
      }
      try {
        progress.awaitChange(seen, Math.min(pause, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProjectionException("interrupted while waiting for projection " + id + " to reach " + position, e);
      }
      pause = Math.min(pause * 2, MAX_AWAIT_POLL_MS);
    }
  }

  /**
   * Whether every event the projection handles up to {@code position} is applied: no rebuild or
   * retry of parked events is pending, and the checkpoint is there; or the head has passed it (so every position up to it has committed or rolled
   * back) and no handled event is pending between the checkpoint and it.
   */
  private boolean reached(ProjectionId id, long position) {
    CheckpointRow row = row(id);
    if (row.state() == ProjectionState.FAILED && (row.rebuildRequested() || row.position() < position)) {
      throw new ProjectionFailedException(status(id)); // FAILED with a rebuild pending: the reset failed or was refused
    }
    if (row.rebuildRequested() || row.retryRequests() > 0) {
      return false; // the lease holder has yet to reset the checkpoint, or to retry parked events
    }
    if (row.position() >= position) {
      return true;
    }
    return store.headPosition() >= position && !pendingUpTo(row, position);
  }

  /** Whether an event the projection handles lies after its checkpoint, up to {@code position}. */
  private boolean pendingUpTo(CheckpointRow row, long position) {
    EventFilter filter = row.filter();
    boolean mayUpcast = !store.config().upcasters().isEmpty() || store.config().upcasterDiscovery();
    if (filter.types().isEmpty() || !mayUpcast) {
      return sql.read("counting pending events of " + row.id(),
          h -> sql.countPending(h, filter, row.position(), position, 1)) > 0;
    }
    // An upcaster may change an event's type, and the filter takes the type as read: judge the
    // events as the runner gets them, reading at most the stored events up to the position.
    try (Stream<RecordedEvent> read = store.readAll(LogQuery.after(row.position()).categories(filter.categories())
        .limit(position - row.position()).acceptAllRemovals())) {
      return read.takeWhile(e -> e.position() <= position).anyMatch(filter::matches);
    }
  }

  // ---- delivery audit -----------------------------------------------------------------------

  @Override
  public Delivery delivery(ProjectionId id, long position) {
    CheckpointRow raw = rawRow(id);
    return deliveries.of(Segments.segmented(raw) ? segments.forEvents(raw, EventsAt.read(store, position)) : raw, position);
  }

  // ---- dead letters -------------------------------------------------------------------------

  @Override
  public List<ParkedEvent> deadLetters(ProjectionId id) {
    return sql.read("reading dead letters of " + id, h -> sql.deadLetters(h, id)).stream()
        .map(DeadLetterRow::toParkedEvent).toList();
  }

  @Override
  public List<ParkedEvent> parked(ProjectionId id) {
    return deadLetters(id).stream().filter(ParkedEvent::waiting).toList();
  }

  @Override
  public int retryParked(ProjectionId id, @Nullable String tenantId, String streamId) {
    if (streamId == null) {
      throw new ProjectionException("streamId must not be null; use retryAllParked for every stream");
    }
    if (tenantId != null && tenantId.isEmpty()) {
      throw new ProjectionException("tenantId must not be empty; pass null for a stream of no tenant");
    }
    return requestRetry(id, new StreamKey(Dialect.tenantKey(tenantId), streamId));
  }

  @Override
  public int retryAllParked(ProjectionId id) {
    return requestRetry(id, null);
  }

  private int requestRetry(ProjectionId id, @Nullable StreamKey stream) {
    int n = sql.write("requesting a retry for " + id, h -> sql.requestRetry(h, id, stream));
    LOG.info("Projection {}: retry requested for {} parked events{}", id, n, stream == null ? "" : " of stream " + stream);
    poke(id);
    return n;
  }

  @Override
  public boolean dismissParked(ProjectionId id, long position, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new ProjectionException("give a reason to dismiss the parked event at " + position + "; it is kept for audits");
    }
    boolean done = sql.write("dismissing a parked event of " + id, h -> sql.dismiss(h, id, position, reason)) == 1;
    if (done) {
      LOG.info("Projection {}: parked event at position {} dismissed: {}", id, position, reason);
      poke(id);
    }
    return done;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  @Override
  public boolean resume(ProjectionId id) {
    boolean done = sql.write("resuming projection " + id, h -> sql.resume(h, id)) == 1 | segments.resume(id) > 0;
    if (done) {
      LOG.info("Projection {}: resume requested", id);
      poke(id);
    }
    return done;
  }

  @Override
  public void rebuild(ProjectionId id) {
    if (!row(id).rebuildable() || sql.write("requesting a rebuild of " + id, h -> sql.requestRebuild(h, id)) != 1) {
      row(id); // unknown (dropped meanwhile), or registered without a way to rebuild
      throw new ProjectionException(notRebuildable(id, "the definition its runner registered"));
    }
    segments.resume(id); // a FAILED segment takes part in the rebuild, which starts it afresh
    LOG.info("Projection {}: rebuild requested", id);
    poke(id);
  }

  /** Why a rebuild of {@code id} is refused, and what to add; {@code whose} names the definition. */
  static String notRebuildable(ProjectionId id, String whose) {
    return "rebuild of projection " + id + " refused: " + whose + " has no reset hook and does not declare an "
        + "idempotent replay, so replaying the log over its read model would apply every event a second time (a "
        + "total of 15 would become 30). Add .withReset(handle -> handle.execute(\"DELETE FROM <its tables>\")) to "
        + "the Projection, or .withIdempotentReplay() if its handler only writes whole rows by key; deploy it and "
        + "start its runner (which records the declaration), then rebuild again. Or build a new version beside it "
        + "(withVersion) and promote it";
  }

  @Override
  public void split(ProjectionId id, int segment) {
    segments.split(id, segment);
    poke(id);
  }

  @Override
  public int merge(ProjectionId id, int segment) {
    int merged = segments.merge(id, segment);
    poke(id);
    return merged;
  }

  @Override
  public void promote(ProjectionId id, Duration timeout) {
    row(id);
    awaitPosition(id, store.headPosition(), timeout, false); // parked events do not hold a promotion back
    sql.write("promoting " + id, h -> {
      sql.promote(h, id);
      return null;
    });
    LOG.info("Projection {} now serves readers", id);
  }

  @Override
  public OptionalInt servingVersion(String name) {
    return sql.read("reading the serving version of " + name, h -> sql.servingVersion(h, name));
  }

  @Override
  public void drop(ProjectionId id, ResetHook dropReadModel) {
    CheckpointRow row = row(id);
    if (servingVersion(id.name()).orElse(-1) == id.version()) {
      throw new ProjectionException("projection " + id + " serves readers; promote another version before dropping it");
    }
    if (row.leased() || segments.rows(id).stream().anyMatch(SegmentSql.Row::leased)) {
      throw new ProjectionException("runner " + row.owner() + " still runs projection " + id + " (lease until "
          + Instant.ofEpochMilli(row.leaseUntilMs()) + "); remove it from that runner's list and restart the runner first");
    }
    sql.write("dropping projection " + id, h -> {
      try {
        dropReadModel.reset(h);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new ProjectionException("dropping the read model of " + id + " failed: " + e.getMessage(), e);
      }
      sql.dropCheckpoint(h, id);
      return null;
    });
    LOG.info("Projection {} dropped", id);
  }
}
