package dev.fabula.scheduler;

import dev.fabula.scheduler.spi.JobObserver;

import dev.fabula.Transaction;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.internal.DefaultJobQueue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A job queue in the event store's database: enqueue jobs (also in the same transaction as
 * events), run them on {@link WorkerPool}s with retries, leases and fencing, and run recurring
 * {@link Schedule}s.
 *
 * <pre>{@code
 * JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
 * queue.register("send-receipt", ctx -> { mailer.send(ctx.payload(Receipt.class)); return JobResult.success(); });
 * try (WorkerPool pool = queue.newWorkerPool(8).start()) {
 *   store.inTransaction(tx -> {
 *     tx.append("order-7", ExpectedVersion.noStream(), List.of(EventData.of(new OrderPlaced(7))));
 *     return queue.enqueue(tx, JobRequest.of("send-receipt").withPayload("{\"order\":7}"));
 *   });
 * }
 * }</pre>
 *
 * <p>Creating a queue checks that its tables are migrated (or migrates them, when the store was
 * opened with {@code JdbcConfig.withMigrateOnOpen(true)}). Thread-safe. Methods throw {@link
 * dev.fabula.EventStoreException}s only: {@link dev.fabula.InvalidInputException} for bad input
 * (nothing is written), {@link dev.fabula.StoreUnavailableException} when the database cannot be
 * reached.
 */
public interface JobQueue {

  /**
   * Creates a queue on {@code store}'s database (PostgreSQL or SQLite), creating or migrating its
   * tables. Several queues (in one process or many) may share a database.
   */
  static JobQueue open(JdbcEventStore store, JobQueueConfig config) {
    return DefaultJobQueue.open(store, config);
  }

  /** The configuration. */
  JobQueueConfig config();

  // ---- handlers -------------------------------------------------------------------------------

  /**
   * Registers the handler of a job type, for the worker pools this queue makes from now on.
   * Registering the same handler again does nothing.
   *
   * @return this queue
   * @throws dev.fabula.InvalidInputException if another handler is registered for the type
   */
  JobQueue register(String type, JobHandler handler);

  /**
   * Installs the handlers of every {@link dev.fabula.scheduler.spi.JobHandlerProvider} on the
   * class path ({@link java.util.ServiceLoader}), logging each. Explicit on purpose: nothing is
   * discovered unless asked. A provider class is installed once, however often this is called.
   *
   * @return the names of the providers installed by this call
   */
  List<String> registerDiscoveredHandlers();

  /** The job types with a registered handler. */
  Set<String> registeredTypes();

  // ---- jobs -----------------------------------------------------------------------------------

  /**
   * Enqueues a job in the caller's transaction, on the same connection as the events it appends:
   * both commit or neither does. Workers in this process are woken when the transaction commits,
   * and on PostgreSQL every process listening is notified then.
   *
   * @return the job: the new one, or the unfinished job that holds the request's unique key
   * @throws dev.fabula.InvalidInputException if the parent job does not exist or has already
   *     failed or been cancelled
   */
  Job enqueue(Transaction tx, JobRequest request);

  /** Enqueues a job in a transaction of its own; see {@link #enqueue(Transaction, JobRequest)}. */
  Job enqueue(JobRequest request);

  /** A job by id, or empty if it does not exist (or was pruned). */
  Optional<Job> job(long id);

  /** Jobs matching {@code query}, by id. */
  List<Job> list(JobQuery query);

  /** The execution history of a job, oldest first. */
  List<JobRun> history(long jobId);

  /**
   * Cancels a job that has not finished. A running job's worker is interrupted and its outcome
   * is not recorded; jobs waiting for it fail.
   *
   * @return true if the job was cancelled, false if it does not exist or has already finished
   */
  boolean cancel(long id);

  /**
   * Moves a waiting or pending job to another run time.
   *
   * @return true if it was moved, false if it does not exist or has started or finished
   */
  boolean reschedule(long id, Instant runAt);

  /**
   * Puts a failed or cancelled job back in the queue, due now, with its attempts counted afresh
   * (the next run is attempt 1 of {@code maxAttempts}); its history is kept. Use it once the cause
   * of the failure is fixed. Jobs that failed because this one failed are not retried with it:
   * retry them after it has succeeded.
   *
   * @return true if the job is pending again; false if it does not exist, is not failed or
   *     cancelled, its parent has not succeeded, or another job with its unique key is waiting,
   *     pending or running
   */
  boolean retry(long id);

  /** Why a job is or is not running now. @throws dev.fabula.InvalidInputException if there is no such job */
  JobDiagnosis explain(long id);

  /**
   * Registers an observer of what this queue's worker pools in this process do: each handler run
   * (when it started against when it was due, how long it ran, how it ended) and each rescue; see
   * {@link JobObserver} for its contract. Metrics ({@code fabula-metrics}) register one.
   * Registering the same observer twice registers it once.
   *
   * @return a registration whose {@code close()} removes the observer
   */
  JdbcEventStore.Registration observe(JobObserver observer);

  /** Counts, age of the oldest due job, throughput and controls. */
  SchedulerStats stats();

  // ---- recurring schedules --------------------------------------------------------------------

  /**
   * Creates or replaces the schedule {@code name}, which enqueues {@code job} at each occurrence.
   * Defining a schedule again exactly as stored changes nothing (so every process may define its
   * schedules at start-up); a changed definition starts from its next occurrence after now. The
   * job's run time, delay, unique key and parent must not be set.
   *
   * @throws dev.fabula.InvalidInputException if the job template sets any of those
   */
  ScheduleInfo schedule(String name, Schedule schedule, JobRequest job);

  /** Removes a schedule; jobs it already made stay. @return true if it existed */
  boolean unschedule(String name);

  /**
   * Pauses one schedule: it makes no jobs until {@link #resumeSchedule}; jobs it already made run.
   * Its next occurrence stays where it was, so on resume its {@link MissedRunPolicy} decides what
   * to do with the occurrences it slept through, as after downtime. Defining it again keeps it
   * paused. Stored in the database: every process obeys it.
   *
   * @return true if the schedule exists
   */
  boolean pauseSchedule(String name);

  /** Resumes a paused schedule. @return true if the schedule exists */
  boolean resumeSchedule(String name);

  /** Every stored schedule, by name. */
  List<ScheduleInfo> schedules();

  /** The history of a schedule's occurrences (runs and misses), oldest first. */
  List<JobRun> scheduleHistory(String name);

  // ---- controls (stored in the database: every process obeys them) ---------------------------

  /** Turns the kill switch on: no process starts a job or a schedule occurrence until {@link #resumeAll()}. */
  void pauseAll();

  /** Turns the kill switch off. */
  void resumeAll();

  /** Stops starting jobs of one queue. */
  void pauseQueue(String queue);

  /** Resumes a paused queue. */
  void resumeQueue(String queue);

  /** Sets a concurrency limit, enforced across every process sharing the database. */
  void setConcurrencyLimit(ConcurrencyLimit limit);

  /** Removes the concurrency limit of a scope ({@code *} for overall). */
  void clearConcurrencyLimit(ConcurrencyLimit.Scope scope, String name);

  // ---- workers --------------------------------------------------------------------------------

  /** A pool of {@code threads} workers for every queue, not started yet. */
  WorkerPool newWorkerPool(int threads);

  /** A pool of {@code threads} workers for the given queues only, not started yet. */
  WorkerPool newWorkerPool(int threads, Set<String> queues);
}
