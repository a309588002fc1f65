package dev.fabula.scheduler.internal;

import dev.fabula.jdbc.spi.Notifications;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobResultException;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.RetryPolicy;
import dev.fabula.scheduler.SchedulerConfig;
import dev.fabula.scheduler.Trigger;
import dev.fabula.scheduler.WorkerPool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker pool: a dispatcher thread, N handler threads and a keeper thread (and on PostgreSQL a
 * listener thread).
 *
 * <p><b>Dispatcher</b>: loops { maintenance when due; claim as many due jobs as there are idle
 * handler threads, in one statement; hand the jobs out; when there was nothing to do, turn due
 * schedule occurrences into jobs and sleep until woken or the poll interval passes }. Under a
 * backlog it waits up to {@link #CLAIM_LINGER_NANOS} for half the threads to be idle, so claims
 * come in batches. It is woken by a handler finishing, by enqueues in this process (after
 * commit), by PostgreSQL notifications, and by control changes.
 *
 * <p><b>Handler threads</b> run one job each and put its outcome on the outcome queue. A job
 * stays in {@link #owned} until its outcome is written, so its lease is renewed meanwhile.
 * <b>Outcomes</b> are written in batches (successes in one statement). Where the database takes
 * concurrent writers (PostgreSQL), a writer thread writes them on its own connection, in
 * parallel with the claims. Where it has one writer at a time (SQLite: one fsync per commit, and
 * a writer waits for the other), the dispatcher writes them in the same transaction as its next
 * claim: one commit per cycle serves both the finished and the new jobs.
 * <b>Keeper</b>: renews all owned leases in one statement every renew interval, interrupts the
 * handlers whose lease was not renewed (rescued, cancelled, taken over), and refreshes the pool's
 * heartbeat row.
 *
 * <p>Every write about a claim is fenced by the claim's token, so whatever this pool's threads
 * believe, they cannot overwrite a state another worker wrote after taking the job over.
 */
final class DefaultWorkerPool implements WorkerPool {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class);
  private static final AtomicInteger POOLS = new AtomicInteger();
  /** Candidates ranked by a limited claim. */
  private static final int LIMITED_SCAN = 1000;
  /** Expired leases rescued per maintenance statement. */
  private static final int RESCUE_BATCH = 500;
  /** How long the LISTEN connection may stay quiet before it is tested (a silently dropped one is replaced). */
  private static final java.time.Duration LISTEN_CHECK_INTERVAL = java.time.Duration.ofSeconds(30);
  /** Rows pruned per statement. */
  private static final int PRUNE_BATCH = 1000;
  /** Under a backlog, how long the dispatcher waits for more idle threads to claim for at once. */
  private static final long CLAIM_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** How long the writer thread waits for more outcomes while jobs are still running. */
  private static final long WRITE_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private enum State { NEW, RUNNING, STOPPING, STOPPED }

  private final DefaultJobQueue queue;
  private final Db db;
  private final SchedulerConfig config;
  private final int threads;
  private final Set<String> queues;
  private final String workerId;
  private final Map<String, JobHandler> handlers;
  private final ScheduleRunner schedules;
  private final String typesJson;
  private final String queuesJson;

  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final AtomicInteger idle;
  /** Idle threads worth a claim of their own while a backlog is waiting: half the pool. */
  private final int batchThreshold;
  private final Map<Long, Running> owned = new ConcurrentHashMap<>();
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private final ReentrantLock wakeLock = new ReentrantLock();
  private final Condition wakeUp = wakeLock.newCondition();
  private boolean woken; // guarded by wakeLock
  private volatile @Nullable Controls controls;
  private volatile long controlsReadAt;

  private @Nullable ExecutorService handlerThreads;
  private @Nullable ScheduledExecutorService keeper;
  private @Nullable Thread dispatcher;
  /** Whether the dispatcher writes outcomes in its claim transactions (single-writer databases). */
  private final boolean combined;
  private @Nullable Thread writer;
  /** Outcomes whose write failed, written first in the next cycle; dispatcher thread only. */
  private final List<Outcome> unwritten = new ArrayList<>();
  private Notifications.@Nullable Subscription listener;

  DefaultWorkerPool(DefaultJobQueue queue, int threads, Set<String> queues) {
    this.queue = queue;
    this.db = queue.db;
    this.config = queue.config;
    this.threads = threads;
    this.queues = Set.copyOf(queues);
    this.handlers = queue.handlers();
    this.schedules = new ScheduleRunner(queue);
    this.idle = new AtomicInteger(threads);
    this.batchThreshold = Math.max(1, threads / 2);
    this.combined = db.singleWriter;
    String prefix = config.workerName() != null ? config.workerName() : host() + ":" + ProcessHandle.current().pid();
    this.workerId = prefix + ":" + POOLS.incrementAndGet() + ":" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFF);
    this.typesJson = Db.jsonStrings(handlers.keySet());
    this.queuesJson = Db.jsonStrings(this.queues);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }

  @Override
  public WorkerPool start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("worker pool " + workerId + " was started before; make a new one with JobQueue.newWorkerPool");
    }
    heartbeat(db.now());
    AtomicInteger n = new AtomicInteger();
    handlerThreads = Executors.newFixedThreadPool(threads, r -> daemon(r, "fabula-worker-" + n.incrementAndGet()));
    keeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fabula-lease-keeper"));
    long renewMs = config.leaseRenewInterval().toMillis();
    keeper.scheduleWithFixedDelay(this::renewLeases, renewMs, renewMs, TimeUnit.MILLISECONDS);
    dispatcher = daemon(this::dispatch, "fabula-dispatcher");
    if (db.postgres && config.listen()) {
      listener = db.tables.notifications().listen(db.channel, LISTEN_CHECK_INTERVAL, null,
          "fabula-scheduler-listen", this::wake);
    }
    queue.started(this);
    if (!combined) {
      writer = daemon(this::writeLoop, "fabula-outcome-writer");
      writer.start();
    }
    dispatcher.start();
    LOG.info("Worker pool {} started: {} threads, job types {}, queues {}", workerId, threads, handlers.keySet(),
        queues.isEmpty() ? "all" : queues);
    return this;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public String workerId() {
    return workerId;
  }

  @Override
  public int threads() {
    return threads;
  }

  @Override
  public Set<String> jobTypes() {
    return handlers.keySet();
  }

  @Override
  public int runningJobs() {
    return threads - idle.get();
  }

  /** Wakes the dispatcher. */
  void wake() {
    wakeLock.lock();
    try {
      woken = true;
      wakeUp.signalAll();
    } finally {
      wakeLock.unlock();
    }
  }

  /** The controls changed in this process: read them again, and look for work. */
  void controlsChanged() {
    controls = null;
    wake();
  }

  /** Job {@code id} was cancelled in this process: interrupt its handler now. */
  void revoke(long id) {
    Running r = owned.get(id);
    if (r != null) {
      r.lost = true;
      r.interrupt();
    }
  }

  // ---- dispatcher -----------------------------------------------------------------------------

  private void dispatch() {
    long nextMaintenance = 0;
    long errorBackoff = 0;
    boolean backlog = false;
    while (state.get() == State.RUNNING) {
      try {
        if (System.nanoTime() - nextMaintenance >= 0) {
          maintenance();
          nextMaintenance = System.nanoTime() + config.maintenanceInterval().toNanos();
        }
        if (backlog && idle.get() < batchThreshold) {
          // More jobs are due than threads: claim for several threads at once, in one statement.
          awaitIdle(batchThreshold, CLAIM_LINGER_NANOS);
        }
        int free = idle.get();
        int claimed = cycle(free, true, combined);
        errorBackoff = 0;
        backlog = claimed > 0 && claimed == free;
        if (claimed > 0 || (combined && !outcomes.isEmpty())) {
          continue;
        }
        if (free > 0) {
          Instant next = schedules.nextDue();
          if (next != null && !next.isAfter(db.now()) && schedules.runDue() > 0) {
            continue;
          }
        }
        await(config.pollInterval().toMillis());
      } catch (RuntimeException e) {
        errorBackoff = Math.min(Math.max(errorBackoff * 2, config.pollInterval().toMillis()), 5_000);
        if (e instanceof dev.fabula.StoreUnavailableException) {
          LOG.warn("Worker pool {}: {}; retrying in {} ms", workerId, e.getMessage(), errorBackoff);
        } else {
          LOG.warn("Worker pool {}: {}; retrying in {} ms", workerId, e, errorBackoff, e);
        }
        await(errorBackoff);
      }
    }
  }

  /**
   * One transaction: writes the waiting outcomes (if {@code writeOutcomes}), then claims up to
   * {@code free} jobs (if {@code claim}) and hands them to the handler threads. Outcomes whose
   * write failed are kept for the next cycle.
   *
   * @return the number of jobs claimed
   */
  private int cycle(int free, boolean claim, boolean writeOutcomes) {
    List<Outcome> batch = new ArrayList<>(unwritten);
    unwritten.clear();
    if (writeOutcomes) {
      outcomes.drainTo(batch, Math.max(0, config.completionBatchSize() - batch.size()));
    }
    batch.removeIf(o -> o.running().released);
    Controls c = claim && free > 0 ? controls() : null;
    boolean claiming = c != null && !c.killSwitch();
    if (batch.isEmpty() && !claiming) {
      return 0;
    }
    Instant now = db.now();
    long t0 = System.nanoTime();
    List<Job> jobs;
    try {
      jobs = db.write(claiming ? "claiming jobs" : "recording job outcomes", h -> {
        Set<Long> recorded = batch.isEmpty() ? Set.of() : write(h, batch, now);
        if (!batch.isEmpty()) {
          logUnrecorded(batch, recorded);
        }
        return claiming ? claimIn(h, c, free, now) : List.<Job>of();
      });
    } catch (RuntimeException e) {
      unwritten.addAll(batch);
      throw e;
    }
    batch.forEach(o -> owned.remove(o.running().job.id()));
    LOG.trace("Worker pool {} wrote {} outcome(s) and claimed {} of {} in {} us", workerId, batch.size(), jobs.size(),
        claiming ? free : 0, (System.nanoTime() - t0) / 1000);
    if (claiming && jobs.isEmpty() && !c.anyLimit()) {
      controls = null; // a limit set elsewhere makes the fast path take nothing: look again next time
    }
    List<Job> ordered = new ArrayList<>(jobs);
    ordered.sort(Comparator.comparing((Job j) -> -j.priority().value()).thenComparing(Job::runAt).thenComparing(Job::id));
    for (Job job : ordered) {
      Running r = new Running(job, db);
      owned.put(job.id(), r);
      idle.decrementAndGet();
      handlerThreads.execute(() -> run(r));
    }
    return jobs.size();
  }

  private void await(long millis) {
    wakeLock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
      while (!woken && nanos > 0 && state.get() == State.RUNNING) {
        nanos = wakeUp.awaitNanos(nanos);
      }
      woken = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      wakeLock.unlock();
    }
  }

  /** Waits until {@code n} handler threads are idle, or for at most {@code nanos}. */
  private void awaitIdle(int n, long nanos) {
    wakeLock.lock();
    try {
      while (idle.get() < n && nanos > 0 && state.get() == State.RUNNING) {
        nanos = wakeUp.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      wakeLock.unlock();
    }
  }

  private Controls controls() {
    Controls c = controls;
    if (c == null || System.nanoTime() - controlsReadAt > config.pollInterval().toNanos()) {
      c = db.read("reading the scheduler controls", h -> Controls.read(h, db));
      controls = c;
      controlsReadAt = System.nanoTime();
    }
    return c;
  }

  /** Claims up to {@code free} due jobs on {@code h}: the fast path, or the limited one under concurrency limits. */
  private List<Job> claimIn(Handle h, Controls c, int free, Instant now) {
    boolean allTypes = config.unknownJobTypes() == SchedulerConfig.UnknownJobTypes.FAIL;
    String statement = "claim";
    if (c.anyLimit()) {
      Boolean paused = h.createQuery(db.sql.get("lock_limits")).mapTo(Boolean.class).findOne().orElse(false);
      if (paused) {
        return List.of();
      }
      statement = "claim_limited";
    }
    return h.createQuery(db.sql.get(statement))
        .bind("now", db.time(now))
        .bind("lease_until", db.time(now.plus(config.leaseDuration())))
        .bind("owner", workerId)
        .bind("limit", free)
        .bind("scan", LIMITED_SCAN)
        .bind("all_types", allTypes)
        .bind("types", typesJson)
        .bind("all_queues", queues.isEmpty())
        .bind("queues", queuesJson)
        .map(queue.rows.job)
        .list();
  }

  // ---- handler threads ------------------------------------------------------------------------

  private void run(Running r) {
    Instant started = db.now();
    JobResult result = null;
    String error = null;
    r.started(Thread.currentThread());
    try {
      JobHandler handler = handlers.get(r.job.type());
      if (handler == null) {
        result = JobResult.failWithoutRetry("no handler for job type '" + r.job.type() + "' is registered in worker pool "
            + workerId + " (it handles " + handlers.keySet() + "); register one with JobQueue.register before creating "
            + "the pool, or set UnknownJobTypes.LEAVE_PENDING to leave such jobs for other pools");
      } else if (r.lost) {
        error = "the lease was lost before the handler started";
      } else {
        result = handler.handle(r);
        if (result == null) {
          error = "the handler of '" + r.job.type() + "' returned null; return JobResult.success()";
        }
      }
    } catch (JobResultException e) {
      result = e.result();
    } catch (Throwable t) {
      error = describe(t, r);
      if (t instanceof Error && !(t instanceof AssertionError)) {
        LOG.error("Job {} ({}) threw {}", r.job.id(), r.job.type(), t.toString(), t);
      }
    } finally {
      r.finished();
    }
    outcomes.add(new Outcome(r, started, db.now(), result, error));
    idle.incrementAndGet();
    wake();
  }

  private static String describe(Throwable t, Running r) {
    StringWriter out = new StringWriter();
    if (t instanceof InterruptedException && r.lost) {
      out.append("interrupted: the lease was lost\n");
    }
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** A handler's outcome, waiting to be written. */
  private record Outcome(Running running, Instant started, Instant finished, @Nullable JobResult result, @Nullable String error) {}

  // ---- outcomes -------------------------------------------------------------------------------

  /** The writer thread, where the database takes concurrent writers: writes outcomes in batches. */
  private void writeLoop() {
    while (true) {
      Outcome first;
      try {
        first = outcomes.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        if (state.get() == State.STOPPED) {
          return;
        }
        continue;
      }
      List<Outcome> batch = new ArrayList<>();
      batch.add(first);
      outcomes.drainTo(batch, config.completionBatchSize() - 1);
      long lingerUntil = System.nanoTime() + WRITE_LINGER_NANOS;
      while (batch.size() < batchThreshold && runningJobs() > 0 && System.nanoTime() < lingerUntil) {
        // Jobs are still running: one write for several of them costs one commit instead of several.
        try {
          Outcome more = outcomes.poll(lingerUntil - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (more != null) {
            batch.add(more);
            outcomes.drainTo(batch, config.completionBatchSize() - batch.size());
          }
        } catch (InterruptedException e) {
          return;
        }
      }
      batch.removeIf(o -> o.running().released);
      long backoff = 50;
      while (!batch.isEmpty()) {
        try {
          Instant now = db.now();
          Set<Long> recorded = db.write("recording job outcomes", h -> write(h, batch, now));
          logUnrecorded(batch, recorded);
          break;
        } catch (RuntimeException e) {
          if (state.get() == State.STOPPED) {
            outcomes.addAll(batch); // close() flushes them, within the shutdown timeout
            return;
          }
          LOG.warn("Worker pool {}: cannot write {} job outcome(s) ({}); retrying in {} ms", workerId, batch.size(), e.getMessage(), backoff);
          try {
            Thread.sleep(backoff);
          } catch (InterruptedException ie) {
            outcomes.addAll(batch);
            return;
          }
          backoff = Math.min(backoff * 2, 5_000);
        }
      }
      batch.forEach(o -> owned.remove(o.running().job.id()));
    }
  }

  /**
   * Writes a batch of outcomes on {@code h}: the successes in one statement, the others one by
   * one, then their history and dependents. Outcomes whose lease was lost write nothing.
   *
   * @return the ids of the jobs whose outcome was recorded
   */
  private Set<Long> write(Handle h, List<Outcome> batch, Instant now) {
    List<Map<String, @Nullable Object>> runs = new ArrayList<>();
    List<Long> released = new ArrayList<>();
    List<Long> failedParents = new ArrayList<>();
    Set<Long> recorded = new HashSet<>();
    List<Outcome> successes = batch.stream().filter(o -> o.result() instanceof JobResult.Success).toList();
    if (!successes.isEmpty()) {
      List<Map<String, @Nullable Object>> done = new ArrayList<>();
      for (Outcome o : successes) {
        Map<String, @Nullable Object> row = new LinkedHashMap<>();
        row.put("id", o.running().job.id());
        row.put("token", o.running().job.leaseToken());
        row.put("finished_at", db.jsonTime(o.finished()));
        row.put("output", ((JobResult.Success) o.result()).output());
        done.add(row);
      }
      h.createQuery(db.sql.get("complete")).bind("batch", Db.json(done))
          .map((rs, ctx) -> new long[] {rs.getLong("id"), rs.getBoolean("has_dependents") ? 1 : 0})
          .forEach(row -> {
            recorded.add(row[0]);
            if (row[1] == 1) {
              released.add(row[0]);
            }
          });
      for (Outcome o : successes) {
        if (recorded.contains(o.running().job.id())) {
          runs.add(queue.writes.run(o.running().job, o.running().job.trigger(), workerId, o.started(), o.finished(),
              JobRun.Outcome.SUCCEEDED, null, ((JobResult.Success) o.result()).output()));
        }
      }
    }
    for (Outcome o : batch) {
      if (!(o.result() instanceof JobResult.Success)) {
        settle(h, o, now, runs, failedParents, recorded);
      }
    }
    queue.writes.insertRuns(h, runs);
    if (!released.isEmpty()) {
      queue.writes.releaseDependents(h, released, now);
    }
    if (!failedParents.isEmpty()) {
      queue.writes.failDependents(h, failedParents, "failed", now);
    }
    return recorded;
  }

  private List<Long> withDependents(Handle h, String statement, Instant now) {
    return Writes.withDependents(h.createQuery(db.sql.get(statement)).bind("now", db.time(now)));
  }

  private void logUnrecorded(List<Outcome> batch, Set<Long> recorded) {
    for (Outcome o : batch) {
      if (!recorded.contains(o.running().job.id())) {
        LOG.warn("Job {} ({}): the outcome of attempt {} was not recorded: this worker ({}) lost its lease "
                + "(it expired, the job was cancelled, or another worker took it over)",
            o.running().job.id(), o.running().job.type(), o.running().job.attempt(), workerId);
      }
    }
  }

  /** Writes a failure, a snooze or a fail-without-retry, fenced by the claim's token. */
  private void settle(Handle h, Outcome o, Instant now, List<Map<String, @Nullable Object>> runs,
                      List<Long> failedParents, Set<Long> recorded) {
    Job job = o.running().job;
    String state;
    Instant runAt = now;
    int attemptDelta = 0;
    String trigger = null;
    String error;
    JobRun.Outcome outcome;
    if (o.result() instanceof JobResult.Snooze snooze) {
      state = JobState.PENDING.code();
      runAt = now.plus(snooze.delay());
      attemptDelta = -1;
      error = job.lastError();
      outcome = JobRun.Outcome.SNOOZED;
    } else if (o.result() instanceof JobResult.Fail fail) {
      state = JobState.FAILED.code();
      error = fail.reason();
      outcome = JobRun.Outcome.FAILED;
    } else {
      error = o.error() == null ? "the handler failed" : o.error();
      outcome = JobRun.Outcome.FAILED;
      if (job.attempt() < job.maxAttempts()) {
        RetryPolicy policy = config.retryPolicy(job.type());
        state = JobState.PENDING.code();
        runAt = now.plus(policy.jitteredDelayAfter(job.attempt()));
        trigger = Trigger.RETRY.code();
      } else {
        state = JobState.FAILED.code();
        error = "attempt " + job.attempt() + " of " + job.maxAttempts() + " failed, no attempts left: " + error;
      }
    }
    var update = h.createQuery(db.sql.get("settle"))
        .bind("id", job.id())
        .bind("token", job.leaseToken())
        .bind("state", state)
        .bind("run_at", db.time(runAt))
        .bind("attempt_delta", attemptDelta)
        .bind("run_trigger", trigger)
        .bind("error", Writes.clip(error))
        .bind("now", db.time(now));
    db.bindTime(update, "finished_at", JobState.FAILED.code().equals(state) ? now : null);
    var row = update.map((rs, ctx) -> rs.getBoolean("has_dependents")).findOne();
    if (row.isEmpty()) {
      return;
    }
    recorded.add(job.id());
    runs.add(queue.writes.run(job, job.trigger(), workerId, o.started(), o.finished(), outcome,
        outcome == JobRun.Outcome.SNOOZED ? "snoozed for " + ((JobResult.Snooze) o.result()).delay() : error, null));
    if (row.get() && JobState.FAILED.code().equals(state)) {
      failedParents.add(job.id());
    }
  }

  // ---- keeper ---------------------------------------------------------------------------------

  private void renewLeases() {
    try {
      Instant now = db.now();
      List<Running> held = List.copyOf(owned.values());
      if (!held.isEmpty()) {
        List<Map<String, Object>> leases = new ArrayList<>();
        for (Running r : held) {
          leases.add(Map.of("id", r.job.id(), "token", r.job.leaseToken()));
        }
        Set<Long> renewed = new HashSet<>(db.write("renewing leases", h -> h.createQuery(db.sql.get("renew"))
            .bind("leases", Db.json(leases))
            .bind("lease_until", db.time(now.plus(config.leaseDuration())))
            .mapTo(Long.class)
            .list()));
        for (Running r : held) {
          if (!renewed.contains(r.job.id()) && owned.containsKey(r.job.id()) && r.isRunning()) {
            r.lost = true;
            r.interrupt();
            LOG.warn("Job {} ({}): worker {} lost its lease (rescued, cancelled or taken over); interrupting its handler",
                r.job.id(), r.job.type(), workerId);
          }
        }
      }
      heartbeat(now);
    } catch (RuntimeException e) {
      LOG.warn("Worker pool {}: cannot renew leases ({}); retrying in {} ms", workerId, e.getMessage(),
          config.leaseRenewInterval().toMillis());
    }
  }

  private void heartbeat(Instant now) {
    db.write("registering worker pool " + workerId, h -> h.createUpdate(db.sql.get("heartbeat"))
        .bind("worker_id", workerId)
        .bind("threads", threads)
        .bind("job_types", config.unknownJobTypes() == SchedulerConfig.UnknownJobTypes.FAIL ? null : typesJson)
        .bind("queues", queues.isEmpty() ? null : queuesJson)
        .bind("now", db.time(now))
        .execute());
  }

  // ---- maintenance ----------------------------------------------------------------------------

  /** Rescues expired leases, repairs dependencies, prunes old rows. */
  private void maintenance() {
    Instant now = db.now();
    int rescued = db.write("rescuing jobs with expired leases", h -> {
      List<Job> expired = h.createQuery(db.sql.get("select_expired"))
          .bind("now", db.time(now))
          .bind("limit", RESCUE_BATCH)
          .map(queue.rows.job)
          .list();
      if (expired.isEmpty()) {
        return 0;
      }
      record Rescued(boolean failed, boolean hasDependents) {}
      Map<Long, Rescued> rescuedJobs = new java.util.HashMap<>();
      h.createQuery(db.sql.get("rescue"))
          .bind("ids", Db.json(expired.stream().map(Job::id).toList()))
          .bind("now", db.time(now))
          .map((rs, ctx) -> {
            rescuedJobs.put(rs.getLong("id"),
                new Rescued(JobState.FAILED.code().equals(rs.getString("state")), rs.getBoolean("has_dependents")));
            return 0;
          })
          .list();
      List<Map<String, @Nullable Object>> runs = new ArrayList<>();
      List<Long> failedParents = new ArrayList<>();
      for (Job j : expired) {
        Rescued r = rescuedJobs.get(j.id());
        if (r == null) {
          continue;
        }
        String error = "lease expired: worker " + j.leaseOwner() + " stopped renewing it during attempt " + j.attempt()
            + " (it crashed, froze or lost the database)";
        Instant started = j.claimedAt() != null ? j.claimedAt() : now;
        runs.add(queue.writes.run(j, j.trigger(), j.leaseOwner(), started, now, JobRun.Outcome.LEASE_EXPIRED, error, null));
        if (r.failed() && r.hasDependents()) {
          failedParents.add(j.id());
        }
        LOG.warn("Job {} ({}): {}; {}", j.id(), j.type(), error, r.failed() ? "no attempts left, failed" : "retrying");
      }
      queue.writes.insertRuns(h, runs);
      if (!failedParents.isEmpty()) {
        queue.writes.failDependents(h, failedParents, "failed", now);
      }
      return runs.size();
    });
    if (rescued > 0) {
      wake();
    }
    db.write("repairing dependencies", h -> {
      h.createQuery(db.sql.get("release_orphans")).bind("now", db.time(now)).mapTo(Long.class).list();
      List<Long> failed = withDependents(h, "fail_orphans", now);
      if (!failed.isEmpty()) {
        queue.writes.failDependents(h, failed, "failed", now);
      }
      List<Long> cancelled = withDependents(h, "cancel_orphans", now);
      if (!cancelled.isEmpty()) {
        queue.writes.failDependents(h, cancelled, "was cancelled", now);
      }
      return null;
    });
    Instant failedBefore = config.failedJobRetention() == null ? Instant.EPOCH : now.minus(config.failedJobRetention());
    db.write("pruning finished jobs", h -> {
      h.createUpdate(db.sql.get("prune_jobs"))
          .bind("finished_before", db.time(now.minus(config.finishedJobRetention())))
          .bind("failed_before", db.time(failedBefore))
          .bind("limit", PRUNE_BATCH)
          .execute();
      h.createUpdate(db.sql.get("prune_runs"))
          .bind("before", db.time(now.minus(config.historyRetention())))
          .bind("limit", PRUNE_BATCH)
          .execute();
      h.createUpdate(db.sql.get("prune_workers")).bind("before", db.time(now.minus(Duration.ofDays(1)))).execute();
      return null;
    });
  }

  // ---- shutdown -------------------------------------------------------------------------------

  @Override
  public void close() {
    close(config.shutdownTimeout());
  }

  @Override
  public boolean close(Duration timeout) {
    if (state.compareAndSet(State.NEW, State.STOPPED)) {
      return true;
    }
    if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
      return true;
    }
    boolean clean = true;
    try {
      wake();
      join(dispatcher);
      handlerThreads.shutdown();
      if (!handlerThreads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        clean = false;
        releaseRunning();
        handlerThreads.shutdownNow();
        handlerThreads.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    } finally {
      state.set(State.STOPPED);
      join(writer);
      flushOutcomes(timeout);
      keeper.shutdownNow();
      if (listener != null) {
        listener.close();
      }
      try {
        db.write("unregistering worker pool " + workerId,
            h -> h.createUpdate(db.sql.get("remove_worker")).bind("worker_id", workerId).execute());
      } catch (RuntimeException e) {
        LOG.warn("Worker pool {}: cannot unregister ({})", workerId, e.getMessage());
      }
      queue.stopped(this);
      LOG.info("Worker pool {} stopped{}", workerId, clean ? "" : " (some jobs were given back unfinished)");
    }
    return clean;
  }

  /** Writes the outcomes still waiting, retrying for up to {@code timeout}; called after the dispatcher stopped. */
  private void flushOutcomes(Duration timeout) {
    long deadline = System.nanoTime() + Math.max(timeout.toNanos(), TimeUnit.SECONDS.toNanos(1));
    long backoff = 50;
    while (!unwritten.isEmpty() || !outcomes.isEmpty()) {
      try {
        cycle(0, false, true);
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          LOG.error("Worker pool {}: giving up on writing {} job outcome(s) ({}); their leases expire and they run again",
              workerId, unwritten.size() + outcomes.size(), e.getMessage());
          return;
        }
        LOG.warn("Worker pool {}: cannot write job outcomes at shutdown ({}); retrying in {} ms", workerId, e.getMessage(), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(backoff * 2, 1_000);
      }
    }
  }

  /** Gives back the jobs whose handlers are still running at the shutdown timeout; the attempt does not count. */
  private void releaseRunning() {
    Instant now = db.now();
    for (Running r : List.copyOf(owned.values())) {
      if (!r.isRunning()) {
        continue;
      }
      r.released = true;
      try {
        db.write("giving back job " + r.job.id(), h -> {
          var update = h.createQuery(db.sql.get("settle"))
              .bind("id", r.job.id())
              .bind("token", r.job.leaseToken())
              .bind("state", JobState.PENDING.code())
              .bind("run_at", db.time(now))
              .bind("attempt_delta", -1)
              .bind("run_trigger", (String) null)
              .bind("error", r.job.lastError())
              .bind("now", db.time(now));
          db.bindTime(update, "finished_at", null);
          if (update.mapTo(Long.class).findOne().isPresent()) {
            queue.writes.insertRuns(h, List.of(queue.writes.run(r.job, r.job.trigger(), workerId, now, now,
                JobRun.Outcome.INTERRUPTED, "the worker pool shut down before the handler finished; the job was given back", null)));
          }
          return null;
        });
      } catch (RuntimeException e) {
        LOG.warn("Job {}: cannot give it back at shutdown ({}); its lease expires and it runs again", r.job.id(), e.getMessage());
      }
      r.interrupt();
      LOG.warn("Job {} ({}) did not finish within the shutdown timeout; given back to the queue", r.job.id(), r.job.type());
    }
  }

  private static void join(@Nullable Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
