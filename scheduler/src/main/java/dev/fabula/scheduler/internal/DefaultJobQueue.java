package dev.fabula.scheduler.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fabula.EventStoreException;
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
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.Schedule;
import dev.fabula.scheduler.ScheduleInfo;
import dev.fabula.scheduler.SchedulerConfig;
import dev.fabula.scheduler.SchedulerStats;
import dev.fabula.scheduler.Trigger;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.scheduler.spi.JobHandlerProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue: enqueue, reads, controls and schedules; worker pools do the running.
 *
 * <p>Enqueue is one INSERT … ON CONFLICT DO NOTHING on the caller's handle (a unique key or a
 * schedule occurrence that already has a job inserts nothing, and the existing job is read
 * back). A dependent job first locks its parent row (mark_parent.sql), so a parent completing at
 * the same time either sees the dependent or is seen by it. Pools of this queue are woken after
 * the caller's commit ({@code Handle.afterCommit}); other processes by NOTIFY on PostgreSQL.
 */
public final class DefaultJobQueue implements JobQueue {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultJobQueue.class);

  final Db db;
  final Rows rows;
  final Writes writes;
  final SchedulerConfig config;
  private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
  private final Set<String> installedProviders = ConcurrentHashMap.newKeySet();
  private final List<DefaultWorkerPool> pools = new CopyOnWriteArrayList<>();

  private DefaultJobQueue(JdbcEventStore store, SchedulerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.db = new Db(store, config.clock());
    this.rows = new Rows(db);
    this.writes = new Writes(db);
  }

  /** Creates the queue and migrates its tables. */
  public static JobQueue create(JdbcEventStore store, SchedulerConfig config) {
    if (store == null) {
      throw new InvalidInputException("store must not be null");
    }
    if (config == null) {
      throw new InvalidInputException("config must not be null; use SchedulerConfig.DEFAULT");
    }
    DefaultJobQueue queue = new DefaultJobQueue(store, config);
    LOG.info("Job queue open: dialect {}, tables {}jobs, poll {} ms, lease {} s (renewed every {} s), default retries {}, "
            + "unknown job types {}", queue.db.tables.dialectName(), queue.db.tables.qualifiedPrefix(),
        config.pollInterval().toMillis(), config.leaseDuration().toSeconds(), config.leaseRenewInterval().toSeconds(),
        config.defaultRetryPolicy(), config.unknownJobTypes());
    return queue;
  }

  @Override
  public SchedulerConfig config() {
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

  Map<String, JobHandler> handlers() {
    return Map.copyOf(handlers);
  }

  // ---- jobs -----------------------------------------------------------------------------------

  @Override
  public Job enqueue(Transaction tx, JobRequest request) {
    if (tx == null || request == null) {
      throw new InvalidInputException("enqueue needs a transaction and a request");
    }
    Handle h = tx.unwrap(Handle.class);
    try {
      Inserted result = insert(h, request, Trigger.MANUAL, null, null);
      if (result.created() && result.job().state() == JobState.PENDING) {
        h.afterCommit(this::wakePools);
      }
      return result.job();
    } catch (RuntimeException e) {
      throw db.translate(e, "enqueueing a '" + request.type() + "' job");
    }
  }

  @Override
  public Job enqueue(JobRequest request) {
    return db.store.inTransaction(tx -> enqueue(tx, request));
  }

  /** What an insert did: the job, and whether it is new. */
  record Inserted(Job job, boolean created) {}

  /**
   * Inserts a job on {@code h}; for a schedule occurrence that already has a job, returns null.
   */
  @Nullable Inserted insert(
      Handle h, JobRequest r, Trigger trigger, @Nullable String scheduleName, @Nullable Instant scheduledFor) {
    Instant now = db.now();
    Instant runAt = r.runAt() != null ? r.runAt() : r.delay() != null ? now.plus(r.delay()) : now;
    runAt = runAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    JobState state = JobState.PENDING;
    if (r.parentId() != null) {
      Optional<String> parent = h.createQuery(db.sql.get("mark_parent")).bind("parent_id", r.parentId()).mapTo(String.class).findOne();
      if (parent.isEmpty()) {
        throw new InvalidInputException("parent job " + r.parentId() + " of a '" + r.type() + "' job does not exist");
      }
      JobState parentState = JobState.ofCode(parent.get());
      boolean parentFailed = parentState == JobState.FAILED || parentState == JobState.CANCELLED;
      if (r.onParentFailure() && parentState == JobState.SUCCEEDED) {
        throw new InvalidInputException("parent job " + r.parentId() + " has succeeded, so a '" + r.type()
            + "' job compensating for its failure would never run");
      }
      if (!r.onParentFailure() && parentFailed) {
        throw new InvalidInputException("parent job " + r.parentId() + " has " + (parentState == JobState.FAILED ? "failed" : "been cancelled")
            + ", so a '" + r.type() + "' job waiting for it would never run");
      }
      state = parentState.isFinished() ? JobState.PENDING : JobState.WAITING;
      trigger = Trigger.DEPENDENT;
    }
    int maxAttempts = r.maxAttempts() != null ? r.maxAttempts() : config.retryPolicy(r.type()).maxAttempts();
    boolean due = state == JobState.PENDING && !runAt.isAfter(now);
    for (int attempt = 1; attempt <= 3; attempt++) {
      var insert = h.createQuery(db.sql.get("enqueue"))
          .bind("queue", r.queue())
          .bind("job_type", r.type())
          .bind("payload", r.payload())
          .bind("priority", r.priority().value())
          .bind("state", state.code())
          .bind("run_at", db.time(runAt))
          .bind("max_attempts", maxAttempts)
          .bind("run_trigger", trigger.code())
          .bind("unique_key", r.uniqueKey())
          .bind("parent_id", r.parentId())
          .bind("on_parent_failure", r.onParentFailure())
          .bind("schedule_name", scheduleName)
          .bind("now", db.time(now))
          .bind("notify", due)
          .bind("channel", db.channel);
      db.bindTime(insert, "scheduled_for", scheduledFor);
      Optional<Long> id = insert.mapTo(Long.class).findOne();
      if (id.isPresent()) {
        Job job = new Job(id.get(), r.queue(), r.type(), r.payload(), r.priority(), state, runAt, 0, maxAttempts, trigger,
            r.uniqueKey(), r.parentId(), scheduleName, scheduledFor, null, null, null, 0, null, null, now, null);
        return new Inserted(job, true);
      }
      if (scheduleName != null && r.uniqueKey() == null) {
        return null;
      }
      if (r.uniqueKey() != null) {
        Optional<Job> holder = h.createQuery(db.sql.get("find_unique"))
            .bind("job_type", r.type())
            .bind("unique_key", r.uniqueKey())
            .map(rows.job)
            .findOne();
        if (holder.isPresent()) {
          return new Inserted(holder.get(), false);
        }
      }
    }
    throw new EventStoreException("could not enqueue a '" + r.type() + "' job with unique key '" + r.uniqueKey()
        + "': the job holding the key kept finishing and reappearing; retry");
  }

  @Override
  public Optional<Job> job(long id) {
    return db.read("reading job " + id, h -> h.createQuery(db.sql.get("get_job")).bind("id", id).map(rows.job).findOne());
  }

  @Override
  public List<Job> list(JobQuery q) {
    if (q == null) {
      throw new InvalidInputException("query must not be null; use JobQuery.ALL");
    }
    return db.read("listing jobs", h -> h.createQuery(db.sql.get("list_jobs"))
        .bind("state", q.state() == null ? null : q.state().code())
        .bind("job_type", q.type())
        .bind("queue", q.queue())
        .bind("after_id", q.afterId())
        .bind("limit", q.limit())
        .map(rows.job)
        .list());
  }

  @Override
  public List<JobRun> history(long jobId) {
    return db.read("reading the history of job " + jobId,
        h -> h.createQuery(db.sql.get("job_runs")).bind("job_id", jobId).map(rows.run).list());
  }

  @Override
  public boolean cancel(long id) {
    Instant now = db.now();
    boolean cancelled = db.write("cancelling job " + id, h -> {
      Optional<Boolean> row = h.createQuery(db.sql.get("cancel"))
          .bind("id", id)
          .bind("now", db.time(now))
          .map((rs, ctx) -> rs.getBoolean("has_dependents"))
          .findOne();
      if (row.isPresent() && row.get()) {
        writes.failDependents(h, List.of(id), "was cancelled", now);
      }
      return row.isPresent();
    });
    if (cancelled) {
      pools.forEach(p -> p.revoke(id));
    }
    return cancelled;
  }

  @Override
  public boolean reschedule(long id, Instant runAt) {
    if (runAt == null) {
      throw new InvalidInputException("runAt must not be null");
    }
    boolean moved = db.write("rescheduling job " + id, h -> h.createQuery(db.sql.get("reschedule"))
        .bind("id", id)
        .bind("run_at", db.time(runAt))
        .bind("now", db.time(db.now()))
        .mapTo(Long.class)
        .findOne()
        .isPresent());
    if (moved) {
      wakePools();
    }
    return moved;
  }

  @Override
  public boolean retry(long id) {
    boolean queued = db.write("retrying job " + id, h -> h.createQuery(db.sql.get("retry"))
        .bind("id", id)
        .bind("now", db.time(db.now()))
        .mapTo(Long.class)
        .findOne()
        .isPresent());
    if (queued) {
      wakePools();
    }
    return queued;
  }

  @Override
  public JobDiagnosis explain(long id) {
    Job job = job(id).orElseThrow(() -> new InvalidInputException("there is no job " + id + " (it may have been pruned)"));
    return new Diagnostics(this).explain(job);
  }

  @Override
  public SchedulerStats stats() {
    Instant now = db.now();
    return db.read("reading scheduler statistics", h -> {
      Map<JobState, Long> counts = new EnumMap<>(JobState.class);
      for (JobState s : JobState.values()) {
        counts.put(s, 0L);
      }
      h.createQuery(db.sql.get("state_counts"))
          .map((rs, ctx) -> Map.entry(JobState.ofCode(rs.getString(1)), rs.getLong(2)))
          .forEach(e -> counts.put(e.getKey(), e.getValue()));
      Instant oldest = h.createQuery(db.sql.get("oldest_due")).bind("now", db.time(now))
          .map((rs, ctx) -> db.readTime(rs, 1)).findOne().orElse(null);
      Map<String, Long> outcomes = new java.util.HashMap<>();
      h.createQuery(db.sql.get("outcomes_since")).bind("since", db.time(now.minusSeconds(60)))
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
          .forEach(e -> outcomes.put(e.getKey(), e.getValue()));
      Controls controls = Controls.read(h, db);
      List<String> workers = h.createQuery(db.sql.get("live_workers")).bind("since", db.time(now.minus(liveWindow())))
          .map((rs, ctx) -> rs.getString("worker_id")).list();
      return new SchedulerStats(counts, oldest == null ? Duration.ZERO : Duration.between(oldest, now),
          outcomes.getOrDefault("succeeded", 0L), outcomes.getOrDefault("failed", 0L), controls.killSwitch(),
          controls.pausedQueues(), controls.limits(), workers);
    });
  }

  /** How recent a heartbeat must be for a worker pool to count as live. */
  Duration liveWindow() {
    return config.leaseRenewInterval().multipliedBy(3).plus(config.pollInterval());
  }

  // ---- schedules ------------------------------------------------------------------------------

  @Override
  public ScheduleInfo schedule(String name, Schedule schedule, JobRequest job) {
    String scheduleName = JobRequest.of(name == null ? "" : name).type();
    if (schedule == null || job == null) {
      throw new InvalidInputException("schedule '" + scheduleName + "' needs a schedule and a job");
    }
    if (job.runAt() != null || job.delay() != null || job.uniqueKey() != null || job.parentId() != null) {
      throw new InvalidInputException("the job of schedule '" + scheduleName
          + "' must not set a run time, delay, unique key or parent: the schedule decides when it runs");
    }
    int maxAttempts = job.maxAttempts() != null ? job.maxAttempts() : config.retryPolicy(job.type()).maxAttempts();
    JobRequest template = job.withMaxAttempts(maxAttempts);
    Instant now = db.now();
    ScheduleInfo stored = db.write("defining schedule '" + scheduleName + "'", h -> {
      Optional<ScheduleInfo> existing = h.createQuery(db.sql.get("get_schedule")).bind("name", scheduleName).map(rows.schedule).findOne();
      if (existing.isPresent() && existing.get().schedule().equals(schedule) && sameJob(existing.get().job(), template)) {
        return existing.get();
      }
      Instant next = schedule.firstAt(now).orElse(null);
      var upsert = h.createUpdate(db.sql.get("upsert_schedule"))
          .bind("name", scheduleName)
          .bind("job_type", template.type())
          .bind("queue", template.queue())
          .bind("payload", template.payload())
          .bind("priority", template.priority().value())
          .bind("max_attempts", maxAttempts)
          .bind("recurrence_kind", schedule.recurrence().kind())
          .bind("recurrence", schedule.recurrence().text())
          .bind("zone", schedule.zone().getId())
          .bind("missed_policy", schedule.missedRuns().kind().name())
          .bind("missed_cap", schedule.missedRuns().cap())
          .bind("dst_policy", schedule.dstPolicy().name())
          .bind("lateness_ms", schedule.latenessLimit() == null ? null : schedule.latenessLimit().toMillis())
          .bind("now", db.time(now));
      db.bindTime(upsert, "next_run_at", next);
      upsert.execute();
      LOG.info("Schedule '{}' {}: {} in {}, next run {}", scheduleName, existing.isPresent() ? "changed" : "created",
          schedule.recurrence(), schedule.zone(), next);
      return new ScheduleInfo(scheduleName, schedule, template, next, existing.map(ScheduleInfo::lastScheduledFor).orElse(null));
    });
    wakePools();
    return stored;
  }

  private static boolean sameJob(JobRequest a, JobRequest b) {
    try {
      return a.type().equals(b.type()) && a.queue().equals(b.queue()) && a.priority().equals(b.priority())
          && Objects.equals(a.maxAttempts(), b.maxAttempts())
          && Db.JSON.readTree(a.payload()).equals(Db.JSON.readTree(b.payload()));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  @Override
  public boolean unschedule(String name) {
    return db.write("removing schedule '" + name + "'",
        h -> h.createUpdate(db.sql.get("delete_schedule")).bind("name", name).execute() > 0);
  }

  @Override
  public List<ScheduleInfo> schedules() {
    return db.read("listing schedules", h -> h.createQuery(db.sql.get("list_schedules")).map(rows.schedule).list());
  }

  @Override
  public List<JobRun> scheduleHistory(String name) {
    return db.read("reading the history of schedule '" + name + "'",
        h -> h.createQuery(db.sql.get("schedule_runs")).bind("schedule_name", name).map(rows.run).list());
  }

  // ---- controls -------------------------------------------------------------------------------

  @Override
  public void pauseAll() {
    setPaused(ConcurrencyLimit.Scope.OVERALL, "*", true);
    LOG.warn("Kill switch ON: no process starts jobs or schedule occurrences until resumeAll()");
  }

  @Override
  public void resumeAll() {
    setPaused(ConcurrencyLimit.Scope.OVERALL, "*", false);
    LOG.info("Kill switch off: processing resumes");
  }

  @Override
  public void pauseQueue(String queue) {
    setPaused(ConcurrencyLimit.Scope.QUEUE, JobRequest.of("x").withQueue(queue).queue(), true);
  }

  @Override
  public void resumeQueue(String queue) {
    setPaused(ConcurrencyLimit.Scope.QUEUE, JobRequest.of("x").withQueue(queue).queue(), false);
  }

  private void setPaused(ConcurrencyLimit.Scope scope, String name, boolean paused) {
    db.write((paused ? "pausing " : "resuming ") + scope + " " + name, h -> h.createUpdate(db.sql.get("set_paused"))
        .bind("scope", scope.code())
        .bind("name", name)
        .bind("paused", paused)
        .bind("now", db.time(db.now()))
        .execute());
    controlsChanged();
  }

  @Override
  public void setConcurrencyLimit(ConcurrencyLimit limit) {
    if (limit == null) {
      throw new InvalidInputException("limit must not be null");
    }
    setLimit(limit.scope(), limit.name(), limit.maxRunning());
  }

  @Override
  public void clearConcurrencyLimit(ConcurrencyLimit.Scope scope, String name) {
    if (scope == null) {
      throw new InvalidInputException("scope must not be null");
    }
    setLimit(scope, name, null);
  }

  private void setLimit(ConcurrencyLimit.Scope scope, String name, @Nullable Integer max) {
    db.write("setting the concurrency limit of " + scope + " " + name, h -> h.createUpdate(db.sql.get("set_limit"))
        .bind("scope", scope.code())
        .bind("name", name)
        .bind("max_running", max)
        .bind("now", db.time(db.now()))
        .execute());
    controlsChanged();
  }

  private void controlsChanged() {
    pools.forEach(DefaultWorkerPool::controlsChanged);
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

  void started(DefaultWorkerPool pool) {
    pools.add(pool);
  }

  void stopped(DefaultWorkerPool pool) {
    pools.remove(pool);
  }

  /** Wakes this process's pools: a job may be due. */
  void wakePools() {
    pools.forEach(DefaultWorkerPool::wake);
  }
}
