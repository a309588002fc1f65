package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.spi.JobObserver;

import dev.fabula.InvalidInputException;
import dev.fabula.Transaction;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.ConcurrencyLimit;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobDiagnosis;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.Schedule;
import dev.fabula.scheduler.ScheduleInfo;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.SchedulerStats;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.scheduler.spi.JobHandlerProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue: opens the scheduler's tables, keeps the registered handlers, creates worker pools
 * and hands every other call to the part that does it:
 *
 * <ul>
 *   <li>{@link Enqueuer}: enqueue, with unique keys and dependencies;
 *   <li>{@link QueueReads}: jobs, history, statistics, explanations;
 *   <li>{@link Admin}: cancel, reschedule, retry, the kill switch, paused queues, limits;
 *   <li>{@link Schedules}: schedule definitions ({@link ScheduleRunner}, in the pools, runs them);
 *   <li>{@link LocalPools}: this process's pools, told at once what concerns them.
 * </ul>
 *
 * <p>Worker pools do the running ({@link DefaultWorkerPool}). Thread-safe.
 */
public final class DefaultJobQueue implements JobQueue {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultJobQueue.class);

  final Db db;
  final Rows rows;
  final Writes writes;
  final JobQueueConfig config;
  final LocalPools pools = new LocalPools();
  final JobObservers observers = new JobObservers();
  final Enqueuer enqueuer;
  private final QueueReads reads;
  private final Admin admin;
  private final Schedules schedules;
  private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
  private final Set<String> installedProviders = ConcurrentHashMap.newKeySet();

  private DefaultJobQueue(JdbcEventStore store, JobQueueConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.db = new Db(store, config.clock(), config.time());
    db.now(); // the first reading of the database's clock: a queue that cannot read it does not open
    this.rows = new Rows(db);
    this.writes = new Writes(db);
    this.enqueuer = new Enqueuer(db, rows, config, pools);
    this.reads = new QueueReads(db, rows, config);
    this.admin = new Admin(db, writes, pools);
    this.schedules = new Schedules(db, rows, config, pools);
  }

  /** Creates the queue and migrates its tables. */
  public static JobQueue open(JdbcEventStore store, JobQueueConfig config) {
    if (store == null) {
      throw new InvalidInputException("store must not be null");
    }
    if (config == null) {
      throw new InvalidInputException("config must not be null; use JobQueueConfig.DEFAULT");
    }
    DefaultJobQueue queue = new DefaultJobQueue(store, config);
    LOG.info("Job queue open: dialect {}, tables {}jobs, poll {} ms, lease {} s (renewed every {} s), default retries {}, "
            + "unknown job types {}, time {}", queue.db.tables.dialectName(), queue.db.tables.qualifiedPrefix(),
        config.pollInterval().toMillis(), config.leaseDuration().toSeconds(), config.leaseRenewInterval().toSeconds(),
        config.defaultRetryPolicy(), config.unknownJobTypes(), config.time());
    return queue;
  }

  @Override
  public JobQueueConfig config() {
    return config;
  }

  // ---- handlers -------------------------------------------------------------------------------

  @Override
  public JobQueue register(String type, JobHandler handler) {
    String name = JobRequest.of(type).type();
    if (handler == null) {
      throw new InvalidInputException("the handler of '" + name + "' must not be null");
    }
    JobHandler existing = handlers.putIfAbsent(name, handler);
    if (existing != null && existing != handler) {
      throw new InvalidInputException("a different handler is already registered for job type '" + name + "'");
    }
    return this;
  }

  @Override
  public List<String> registerDiscoveredHandlers() {
    List<String> installed = new ArrayList<>();
    ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader()).orElse(getClass().getClassLoader());
    for (JobHandlerProvider provider : ServiceLoader.load(JobHandlerProvider.class, loader)) {
      if (installedProviders.add(provider.getClass().getName())) {
        provider.registerHandlers(this);
        installed.add(provider.name());
        LOG.info("Installed job handler plugin {}", provider.name());
      }
    }
    return installed;
  }

  @Override
  public Set<String> registeredTypes() {
    return Set.copyOf(handlers.keySet());
  }

  /** The handlers registered now; a pool takes this copy when it is created. */
  Map<String, JobHandler> handlers() {
    return Map.copyOf(handlers);
  }

  // ---- jobs -----------------------------------------------------------------------------------

  @Override
  public Job enqueue(Transaction tx, JobRequest request) {
    return enqueuer.enqueue(tx, request);
  }

  @Override
  public Job enqueue(JobRequest request) {
    return enqueuer.enqueue(request);
  }

  @Override
  public Optional<Job> job(long id) {
    return reads.job(id);
  }

  @Override
  public List<Job> list(JobQuery q) {
    return reads.list(q);
  }

  @Override
  public List<JobRun> history(long jobId) {
    return reads.history(jobId);
  }

  @Override
  public JobDiagnosis explain(long id) {
    return reads.explain(id);
  }

  @Override
  public JdbcEventStore.Registration observe(JobObserver observer) {
    if (observer == null) {
      throw new InvalidInputException("observer must not be null");
    }
    return observers.add(observer)::run;
  }

  @Override
  public SchedulerStats stats() {
    return reads.stats();
  }

  @Override
  public boolean cancel(long id) {
    return admin.cancel(id);
  }

  @Override
  public boolean reschedule(long id, Instant runAt) {
    return admin.reschedule(id, runAt);
  }

  @Override
  public boolean retry(long id) {
    return admin.retry(id);
  }

  // ---- schedules ------------------------------------------------------------------------------

  @Override
  public ScheduleInfo schedule(String name, Schedule schedule, JobRequest job) {
    return schedules.schedule(name, schedule, job);
  }

  @Override
  public boolean unschedule(String name) {
    return schedules.unschedule(name);
  }

  @Override
  public boolean pauseSchedule(String name) {
    return schedules.setPaused(name, true);
  }

  @Override
  public boolean resumeSchedule(String name) {
    return schedules.setPaused(name, false);
  }

  @Override
  public List<ScheduleInfo> schedules() {
    return schedules.schedules();
  }

  @Override
  public List<JobRun> scheduleHistory(String name) {
    return schedules.scheduleHistory(name);
  }

  // ---- controls -------------------------------------------------------------------------------

  @Override
  public void pauseAll() {
    admin.pauseAll();
  }

  @Override
  public void resumeAll() {
    admin.resumeAll();
  }

  @Override
  public void pauseQueue(String queue) {
    admin.pauseQueue(queue);
  }

  @Override
  public void resumeQueue(String queue) {
    admin.resumeQueue(queue);
  }

  @Override
  public void setConcurrencyLimit(ConcurrencyLimit limit) {
    admin.setConcurrencyLimit(limit);
  }

  @Override
  public void clearConcurrencyLimit(ConcurrencyLimit.Scope scope, String name) {
    admin.clearConcurrencyLimit(scope, name);
  }

  // ---- workers --------------------------------------------------------------------------------

  @Override
  public WorkerPool newWorkerPool(int threads) {
    return newWorkerPool(threads, Set.of());
  }

  @Override
  public WorkerPool newWorkerPool(int threads, Set<String> queues) {
    if (threads < 1 || threads > 1000) {
      throw new InvalidInputException("a worker pool needs 1 to 1000 threads but was given " + threads);
    }
    if (queues == null) {
      throw new InvalidInputException("queues must not be null; use Set.of() for every queue");
    }
    Set<String> names = new TreeSet<>();
    queues.forEach(q -> names.add(JobRequest.of("x").withQueue(q).queue()));
    return new DefaultWorkerPool(this, threads, names);
  }
}
