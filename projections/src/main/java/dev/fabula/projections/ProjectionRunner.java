package dev.fabula.projections;

import java.util.List;

/**
 * Runs asynchronous projections in the background: for each, one thread that takes the
 * projection's lease, catches up from its checkpoint and then follows the log live. Create it with
 * {@link Projections#runner}, {@link #start()} it, and {@link #close()} it on shutdown.
 *
 * <pre>{@code
 * try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList, search))) {
 *   runner.start();
 *   ...
 * }
 * }</pre>
 *
 * <p><b>How it works.</b> Each projection's thread reads {@code store.readAll(after checkpoint,
 * limit batch)}, which never returns a position while an earlier one may still commit, applies
 * what it got, and moves the checkpoint to the last position it received (in the handler's
 * transaction for a {@link TransactionalHandler}). So the checkpoint only ever moves to positions
 * that were delivered; catching up and following live are the same loop. It wakes on this
 * process's appends at once, on other processes' appends through LISTEN/NOTIFY (PostgreSQL), and
 * every {@link RunnerConfig#pollInterval()} regardless.
 *
 * <p><b>Several processes.</b> Run the same runner in every process: for each projection one
 * process holds the lease and applies, the others stand by and take over when the holder stops
 * renewing it. Every checkpoint write is fenced on the owner and the position it read, and fails
 * loudly ({@link LostLeaseException}) otherwise.
 *
 * <p>Thread-safe. Logs the effective configuration at start, lease changes and state changes at
 * INFO, retries at WARN, failures at ERROR.
 */
public interface ProjectionRunner extends AutoCloseable {

  /**
   * Starts the threads. Returns at once; use {@link Projections#awaitPosition} or {@link
   * Projections#status} to follow progress.
   *
   * @return this runner, so that {@code try (ProjectionRunner r = projections.runner(…).start())} reads
   *     like a worker pool's start
   * @throws ProjectionException if it was started before or is closed
   */
  ProjectionRunner start();

  /** This runner's owner name in lease rows. */
  String owner();

  /** The projection versions it runs. */
  List<ProjectionId> projections();

  /**
   * Stops: lets each projection finish its current batch (up to the lease duration), releases the
   * leases so that another process takes over at once, and stops the threads. Idempotent.
   */
  @Override
  void close();
}
