package dev.fabula.projections.internal;

import dev.fabula.EventStore;
import dev.fabula.RecordedEvent;
import dev.fabula.internal.Fatal;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Notifications;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.LiveProjection;
import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.ProjectionTimeoutException;
import dev.fabula.projections.RunnerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LiveProjection}: reads the log from 0 into the fold at start, then follows it on a daemon
 * thread, page by page, the same loop as the runner's minus checkpoints and leases.
 */
public final class LiveProjectionImpl<S> implements LiveProjection<S> {
  private static final Logger LOG = LoggerFactory.getLogger(LiveProjection.class);
  private static final int PAGE = 1_000;

  private final EventStore store;
  private final EventFilter filter;
  /** The newest retention removal this projection read on past (see {@link #catchUp}). */
  private long acceptedRemovals;
  private final BiFunction<S, RecordedEvent, S> fold;
  private final Duration pollInterval;
  private final Wakeup wakeup = new Wakeup();
  private final Object progress = new Object();
  private volatile S state;
  private volatile long position;
  private volatile boolean running = true;
  private volatile @Nullable Throwable failure;
  private @Nullable Thread thread;
  private Notifications.@Nullable Subscription listener;
  private volatile JdbcEventStore.@Nullable Registration appended;

  private LiveProjectionImpl(
      EventStore store, EventFilter filter, S initial, BiFunction<S, RecordedEvent, S> fold, Duration pollInterval) {
    this.store = store;
    this.filter = filter;
    this.state = initial;
    this.fold = fold;
    this.pollInterval = pollInterval;
  }

  /** See {@link LiveProjection#start}. */
  public static <S> LiveProjection<S> start(
      EventStore store, EventFilter filter, S initial, BiFunction<S, RecordedEvent, S> fold, Duration pollInterval) {
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new ProjectionException("pollInterval must be a positive duration but was " + pollInterval);
    }
    LiveProjectionImpl<S> live = new LiveProjectionImpl<>(store, filter, initial, fold, pollInterval);
    long started = System.nanoTime();
    if (store instanceof JdbcEventStore jdbc) {
      live.appended = jdbc.onAppend(p -> live.wakeup.events());
    }
    try {
      while (live.catchUp()) {
        // pages until a short one: caught up with the head as it was
      }
    } catch (Throwable e) {
      live.close();
      throw e;
    }
    if (live.failure != null) {
      live.close();
      throw new ProjectionException("a live projection's fold failed while rebuilding at position " + live.position
          + ": " + UserCode.describe(live.failure), live.failure);
    }
    LOG.info("Live projection {} rebuilt up to position {} in {} ms", filter, live.position,
        (System.nanoTime() - started) / 1_000_000);
    if (store instanceof JdbcEventStore jdbc) {
      Notifications notifications = Notifications.of(jdbc);
      live.listener = notifications.listen(notifications.channel("events"), RunnerConfig.DEFAULT_LISTEN_CHECK_INTERVAL,
          null, "fabula-live-projection-listen", live.wakeup::events);
    }
    Thread t = new Thread(live::follow, "fabula-live-projection");
    t.setDaemon(true);
    live.thread = t;
    t.start();
    return live;
  }

  /**
   * Folds one page; returns whether the page was full (more may follow at once). A failure of the
   * fold (anything it throws) stops the projection; a fatal error ({@link dev.fabula.internal.Fatal}) is
   * rethrown after that. A failure to read propagates.
   */
  private boolean catchUp() {
    List<RecordedEvent> page;
    while (true) {
      try (Stream<RecordedEvent> events = store.readAll(filter.after(position, PAGE).acceptRemovalsThrough(acceptedRemovals))) {
        page = events.toList();
        break;
      } catch (dev.fabula.TruncatedRangeException e) {
        // A live projection folds the log as it is now: it reads on past what retention removed,
        // and says exactly what its state lacks.
        LOG.warn("Live projection {} folds without events that retention removed: {}", filter, e.getMessage());
        acceptedRemovals = e.lastRemovalId();
      }
    }
    S s = state;
    long p = position;
    try {
      for (RecordedEvent e : page) {
        s = fold.apply(s, e);
        p = e.position();
      }
    } catch (Throwable e) {
      state = s;
      position = p;
      stopWith(e, "the fold failed at the event after position " + p);
      if (Fatal.is(e)) {
        throw (Error) e;
      }
      return false;
    }
    state = s;
    position = p;
    synchronized (progress) {
      progress.notifyAll();
    }
    return running && page.size() == PAGE;
  }

  /**
   * The follow thread. A {@link RuntimeException} while reading (the database, the network) is
   * retried at the poll interval; an {@link Error} while reading (an upcaster's {@code
   * StackOverflowError}) stops the projection as a failure of the fold does, so that {@link
   * #state} and {@link #awaitPosition} report it instead of a thread that died unseen.
   */
  private void follow() {
    try {
      while (running) {
        try {
          if (!catchUp() && running) {
            wakeup.await(pollInterval.toNanos(), true);
          }
        } catch (RuntimeException e) {
          LOG.warn("Live projection {}: reading the log failed ({}); trying again", filter, e.getMessage());
          wakeup.await(pollInterval.toNanos(), false);
        }
      }
    } catch (Throwable e) {
      if (failure == null) {
        stopWith(e, "reading the event after position " + position + " failed");
      }
      if (Fatal.is(e)) {
        throw (Error) e;
      }
    }
  }

  /** Stops following with {@code e}: {@link #state} and {@link #awaitPosition} throw it from now on. */
  private void stopWith(Throwable e, String what) {
    failure = e;
    running = false;
    LOG.error("Live projection {}: {}; it stops. Fix the cause and start a new LiveProjection", filter, what, e);
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  @Override
  public S state() {
    Throwable f = failure;
    if (f != null) {
      throw failed(f);
    }
    return state;
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  private ProjectionException failed(Throwable f) {
    return new ProjectionException("the live projection " + filter + " stopped: reading or folding the event after "
        + "position " + position + " failed: " + UserCode.describe(f) + "; its state would be stale from there on. Fix the "
        + "fold and start a new LiveProjection", f);
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void awaitPosition(long target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    wakeup.events(); // the event may come from another store instance: look now, not at the next poll
    synchronized (progress) {
      while (true) {
        Throwable f = failure;
        if (f != null) {
          throw failed(f);
        }
        if (position >= target) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new ProjectionTimeoutException(target, position);
        }
        try {
          progress.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ProjectionException("interrupted while waiting for a live projection to reach " + target, e);
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    wakeup.control();
    if (appended != null) {
      appended.close();
    }
    if (listener != null) {
      listener.close();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
