package dev.fabula.projections;

import dev.fabula.EventStore;
import dev.fabula.RecordedEvent;
import dev.fabula.projections.internal.LiveProjectionImpl;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A projection kept in this process's memory: rebuilt from the log when it starts, then following
 * the log live. No checkpoint, no lease, no table: every process computes its own. Good for small
 * read models that must be fast to query (a lookup table, counters, a cache).
 *
 * <pre>{@code
 * try (LiveProjection<Map<String, Long>> counts = LiveProjection.start(store, EventFilter.ALL, Map.of(),
 *     (state, event) -> plusOne(state, event.type()), Duration.ofSeconds(1))) {
 *   counts.awaitPosition(lastAppend.lastPosition(), Duration.ofSeconds(5));
 *   long n = counts.state().getOrDefault("order-placed", 0L);
 * }
 * }</pre>
 *
 * <p>The fold runs on one thread at a time; the state is published after each batch. Return a new
 * value from the fold (immutable state), or mutate a thread-safe one.
 *
 * <p><b>A fold that throws stops the projection for good</b>, loudly: from then on {@link #state()}
 * and {@link #awaitPosition} throw a {@link ProjectionException} whose cause is the fold's error,
 * and {@link #failure()} returns it, so a reader never serves a state that stopped following the
 * log. Fix the fold and start a new one. (Errors reading the log are not fold failures: it logs
 * them and tries again.)
 *
 * @param <S> the state
 */
public interface LiveProjection<S> extends AutoCloseable {

  /**
   * Starts: folds every event {@code filter} passes into {@code initial} (blocking until caught up
   * with the head of the log), then follows the log on a background thread. It wakes on this
   * store's appends at once (JDBC stores), on other processes' appends through LISTEN/NOTIFY on
   * PostgreSQL, and every {@code pollInterval} regardless.
   *
   * @throws ProjectionException if the fold throws during the rebuild
   */
  static <S> LiveProjection<S> start(
      EventStore store, EventFilter filter, S initial, BiFunction<S, RecordedEvent, S> fold, Duration pollInterval) {
    return LiveProjectionImpl.start(store, filter, initial, fold, pollInterval);
  }

  /**
   * The current state.
   *
   * @throws ProjectionException if the fold failed (the cause is its error): the state stopped at
   *     {@link #position()} and would be stale from then on
   */
  S state();

  /** The error the fold failed with, which stopped this projection; empty while it runs. */
  Optional<Throwable> failure();

  /** The position of the last event folded in (0 before any). */
  long position();

  /**
   * Blocks until the event at {@code position} (one this projection handles, such as the last
   * position of your append) or a later one is folded in.
   *
   * @throws ProjectionTimeoutException if that did not happen within {@code timeout}
   * @throws ProjectionException if the fold failed, before or while waiting
   */
  void awaitPosition(long position, Duration timeout);

  /** Stops following the log. Idempotent. */
  @Override
  void close();
}
