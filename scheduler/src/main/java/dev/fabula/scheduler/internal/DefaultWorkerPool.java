package dev.fabula.scheduler.internal;

import dev.fabula.jdbc.spi.Notifications;
import dev.fabula.scheduler.WorkerPool;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker pool: a dispatcher thread, N handler threads and a keeper thread, plus an outcome
 * writer thread where the database takes concurrent writers and a listener thread on PostgreSQL.
 * This class starts and stops them, in order; the work is done by its parts:
 *
 * <ul>
 *   <li>{@link Dispatcher} claims due jobs for the idle handler threads (through {@link Claims}),
 *       runs {@link Maintenance} and due schedules, and sleeps on the {@link Wakeup} when there is
 *       nothing to do. It is woken by a handler finishing, by enqueues in this process (after
 *       commit), by PostgreSQL notifications (the store's {@link Notifications}), and by control changes.
 *   <li>{@link HandlerThreads} run one job each and leave its {@link Outcome}.
 *   <li>{@link Outcomes} writes the outcomes in batches, on its own thread or in the dispatcher's
 *       next claim transaction on a single-writer database ({@link OutcomeRecorder} has the
 *       statements).
 *   <li>{@link PoolHealth} notices a thread of the pool that died (only a fatal error ends one):
 *       the pool stops claiming, and its leases are no longer renewed, so they expire.
 *   <li>{@link LeaseKeeper} renews the leases of the {@link HeldJobs} (claimed, outcome not yet
 *       written), interrupts the handlers whose lease was lost, and keeps the pool's heartbeat.
 * </ul>
 *
 * <p>Every write about a claim is fenced by the claim's token, so whatever this pool's threads
 * believe, they cannot overwrite a state another worker wrote after taking the job over.
 *
 * <p>Shutdown, in order: the dispatcher stops claiming; the handlers get the shutdown timeout to
 * finish, and the jobs still running after it are given back (the attempt does not count); the
 * outcomes left are written; the keeper and the listener stop; the pool unregisters. Thread-safe;
 * a pool starts once.
 */
final class DefaultWorkerPool implements WorkerPool {
  /** How long the LISTEN connection may stay quiet before it is tested (a silently dropped one is replaced). */
  private static final java.time.Duration LISTEN_CHECK_INTERVAL = java.time.Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class);

  private enum State { NEW, RUNNING, STOPPING, STOPPED }

  private final DefaultJobQueue queue;
  private final PoolContext pool;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final HeldJobs held = new HeldJobs();
  private final Wakeup wakeup;
  private final Outcomes outcomes;
  private final HandlerThreads handlerThreads;
  private final LeaseKeeper keeper;
  private final Dispatcher dispatcher;
  private final PoolHealth health;
  private Notifications.@Nullable Subscription listener;

  DefaultWorkerPool(DefaultJobQueue queue, int threads, Set<String> queues) {
    this.queue = queue;
    this.pool = PoolContext.of(queue, threads, queues);
    this.wakeup = new Wakeup(threads);
    this.health = new PoolHealth(pool.workerId(), wakeup);
    OutcomeRecorder recorder = new OutcomeRecorder(pool, wakeup::dueAt);
    this.outcomes = new Outcomes(pool, recorder, held, wakeup, health);
    this.handlerThreads = new HandlerThreads(pool, held, wakeup, outcomes, recorder);
    this.keeper = new LeaseKeeper(pool, held, health);
    this.dispatcher = new Dispatcher(pool, wakeup, handlerThreads, outcomes, new ScheduleRunner(queue), health);
  }

  @Override
  public WorkerPool start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("worker pool " + pool.workerId() + " was started before; make a new one with "
          + "JobQueue.newWorkerPool");
    }
    keeper.start();
    handlerThreads.start();
    if (pool.db().postgres && pool.config().listen()) {
      listener = pool.db().tables.notifications().listen(pool.db().channel, LISTEN_CHECK_INTERVAL, null,
          "fabula-scheduler-listen", wakeup::wake);
    }
    queue.pools.started(this);
    outcomes.start();
    dispatcher.start();
    LOG.info("Worker pool {} started: {} threads, job types {}, queues {}", pool.workerId(), pool.threads(),
        pool.handlers().keySet(), pool.queues().isEmpty() ? "all" : pool.queues());
    return this;
  }

  @Override
  public String workerId() {
    return pool.workerId();
  }

  @Override
  public int threads() {
    return pool.threads();
  }

  @Override
  public Set<String> jobTypes() {
    return pool.handlers().keySet();
  }

  @Override
  public int runningJobs() {
    return wakeup.busy();
  }

  @Override
  public Optional<String> failure() {
    return health.failure();
  }

  /** Wakes the dispatcher: a job may be due. */
  void wake() {
    wakeup.wake();
  }

  /** A job is pending and due at {@code at}: the dispatcher wakes then (or now, if it is due). */
  void dueAt(Instant at) {
    wakeup.dueAt(at);
  }

  /** The controls changed in this process: read them again, and look for work. */
  void controlsChanged() {
    dispatcher.controlsChanged();
  }

  /** Job {@code id} was cancelled in this process: interrupt its handler now. */
  void revoke(long id) {
    held.revoke(id);
  }

  @Override
  public void close() {
    close(pool.config().shutdownTimeout());
  }

  @Override
  public boolean close(Duration timeout) {
    if (state.compareAndSet(State.NEW, State.STOPPED)) {
      return true;
    }
    if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
      return true;
    }
    boolean clean = false;
    try {
      dispatcher.stop();
      clean = handlerThreads.stop(timeout);
    } finally {
      state.set(State.STOPPED);
      outcomes.stop(timeout);
      keeper.stop();
      if (listener != null) {
        listener.close();
      }
      keeper.unregister();
      queue.pools.stopped(this);
      LOG.info("Worker pool {} stopped{}", pool.workerId(), clean ? "" : " (some jobs were given back unfinished)");
    }
    return clean;
  }
}
