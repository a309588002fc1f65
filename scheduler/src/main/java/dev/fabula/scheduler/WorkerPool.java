package dev.fabula.scheduler;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Threads that claim due jobs and run their handlers. Made by {@link JobQueue#newWorkerPool},
 * started with {@link #start()}, stopped with {@link #close()}. Several pools, in one process or
 * many, can share one database.
 *
 * <p>How it works: a dispatcher thread claims as many due jobs as there are idle threads, in one
 * statement, and hands them to the threads. It wakes when a job is enqueued in this process, on
 * a PostgreSQL notification from another process, when a thread becomes idle, and at least every
 * {@link JobQueueConfig#pollInterval()}. A keeper thread renews the leases of the running jobs
 * and interrupts a handler whose lease was lost. Completions are written by a writer thread in
 * batches. The dispatcher also rescues jobs whose leases expired, turns due schedule
 * occurrences into jobs, and prunes old rows.
 *
 * <p>Thread-safe.
 */
public interface WorkerPool extends AutoCloseable {

  /**
   * Starts the threads.
   *
   * @return this pool
   * @throws IllegalStateException if it was started before
   */
  WorkerPool start();

  /** This pool's worker id, recorded as the lease owner of the jobs it runs. */
  String workerId();

  /** The number of handler threads. */
  int threads();

  /** The job types this pool claims (those with a handler when it started). */
  Set<String> jobTypes();

  /** Jobs running in this pool now. */
  int runningJobs();

  /**
   * Why this pool stopped working by itself, if it did: one of its own threads (the dispatcher,
   * the outcome writer) died of a fatal error such as {@code OutOfMemoryError}, which is also
   * logged at ERROR. Such a pool claims nothing more, and the leases of the jobs it held are no
   * longer renewed, so other pools take them over once they expire; close it and start a new one.
   * Every other failure (of the database, of a handler, any other {@link Error}) is logged and
   * retried, and leaves this empty.
   *
   * @return the failure, or empty while the pool is healthy
   */
  Optional<String> failure();

  /**
   * Stops claiming, lets running jobs finish for up to {@code timeout}, then interrupts the rest
   * and gives their jobs back (the attempt does not count), writes the remaining completions and
   * stops the threads. Idempotent.
   *
   * @return true if every running job finished within the timeout
   */
  boolean close(Duration timeout);

  /** {@link #close(Duration)} with {@link JobQueueConfig#shutdownTimeout()}. */
  @Override
  void close();
}
