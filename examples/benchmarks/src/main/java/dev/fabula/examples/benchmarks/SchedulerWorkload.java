package dev.fabula.examples.benchmarks;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.WorkerPool;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

/**
 * The scheduler workload: jobs per second on no-op jobs with a worker pool of N threads, next to a
 * raw SKIP LOCKED loop (N threads, 10 jobs per claim statement, one completion statement per
 * batch, no history, no leases renewed, no fencing: what users hand-write today) run twice: on the
 * scheduler's own jobs table ("raw", what our guarantees cost on our schema) and on the narrowest
 * correct table ("simple raw": id, queue, due time, state, lease owner and until, a small payload,
 * one partial index on ready jobs: how close we come to what the database can do); and pickup
 * latency of a job enqueued by another store (another process): on PostgreSQL through
 * LISTEN/NOTIFY, on SQLite (no notifications between processes) through the in-process signal of
 * the same queue.
 *
 * <p>A figure is only returned if the work behind it was done: every job of a throughput phase ran
 * exactly once and ended succeeded, and every pickup was seen. Otherwise, or when a phase takes
 * longer than the timeout, the run fails with an {@link IllegalStateException} saying what was
 * missing; no wait is unbounded.
 *
 * <p>Runs inside the benchmark app ({@link Benchmarks}), or alone, printing {@code RESULT} lines:
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java \
 *     -Dexec.mainClass=dev.fabula.examples.benchmarks.SchedulerWorkload -Dexec.args="jdbc:sqlite:/tmp/jobs.db"
 * </pre>
 *
 * <p>It uses the scheduler's public API only; the raw loop's statements ({@code
 * scheduler_raw_*.sql} next to this class) know the layout of the scheduler's jobs table, the
 * simple raw loop's ({@code scheduler_simple_raw_*.sql}) create and use a table of their own. Each
 * phase works in fresh tables (a new table prefix), so runs do not disturb each other; the tables
 * are left behind. Not thread-safe; run one at a time.
 */
public final class SchedulerWorkload {
  /** Jobs per throughput phase, by default. */
  public static final int DEFAULT_JOBS = 20_000;
  /** Worker threads, in the reference workload. */
  public static final int DEFAULT_THREADS = 8;
  /** Jobs enqueued one at a time for the latency phase, by default. */
  public static final int DEFAULT_PICKUP_SAMPLES = 200;
  /** The most any one phase may take before the run fails, by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /** The most a single pickup may take before the run fails: far beyond any poll interval. */
  private static final Duration PICKUP_TIMEOUT = Duration.ofSeconds(10);
  private static final AtomicInteger RUNS = new AtomicInteger();

  private SchedulerWorkload() {}

  /**
   * What a run measured, and the work it counted to measure it.
   *
   * @param backend the dialect
   * @param jobs jobs per throughput phase
   * @param threads worker threads
   * @param jobsPerSecond the scheduler's throughput on no-op jobs
   * @param rawJobsPerSecond the raw SKIP LOCKED loop's throughput on the scheduler's own jobs table
   * @param simpleRawJobsPerSecond the same loop's throughput on the narrow {@code simple_jobs} table
   * @param pickupP50Ms median time from enqueue commit to handler start, in ms
   * @param pickupP99Ms 99th percentile of the same, in ms
   * @param pickupMode how new jobs reached the workers in the pickup phase
   * @param jobsRun distinct jobs the scheduler's handler ran in its throughput phase (each once)
   * @param jobsSucceeded jobs the scheduler recorded as succeeded at the end of that phase
   * @param rawJobsDone jobs the raw loop claimed and completed (each once)
   * @param simpleRawJobsDone jobs the simple raw loop claimed and completed (each once)
   * @param pickupsSeen pickups observed, out of the samples asked for
   */
  public record Figures(String backend, int jobs, int threads, double jobsPerSecond, double rawJobsPerSecond,
                        double simpleRawJobsPerSecond,
                        double pickupP50Ms, double pickupP99Ms, String pickupMode, int jobsRun, long jobsSucceeded,
                        int rawJobsDone, int simpleRawJobsDone, int pickupsSeen) {

    /** Scheduler throughput over raw-loop throughput on the scheduler's own table. */
    public double ratio() {
      return jobsPerSecond / rawJobsPerSecond;
    }

    /** Scheduler throughput over the simple raw loop's (target on PostgreSQL, 8 threads: at least 0.6). */
    public double simpleRatio() {
      return jobsPerSecond / simpleRawJobsPerSecond;
    }

    /** The figures under {@code <prefix>.scheduler.…}, as the benchmark app prints them. */
    List<Result> results(String prefix) {
      return List.of(
          Result.vsRaw(prefix + ".scheduler.t" + threads + ".jobs_per_s", jobsPerSecond, rawJobsPerSecond, "jobs/s"),
          Result.of(prefix + ".scheduler.simple_raw.t" + threads + ".jobs_per_s", simpleRawJobsPerSecond, "jobs/s"),
          Result.of(prefix + ".scheduler.t" + threads + ".jobs_per_s.vs_simple_raw", simpleRatio(), "x"),
          Result.of(prefix + ".scheduler.pickup.p50_ms", pickupP50Ms, "ms"),
          Result.of(prefix + ".scheduler.pickup.p99_ms", pickupP99Ms, "ms"));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s: %d no-op jobs, %d threads: scheduler %.0f jobs/s, raw SKIP LOCKED loop (10/claim) "
              + "%.0f jobs/s, ratio %.2f; simple raw (narrow table) %.0f jobs/s, ratio %.2f; pickup p50 %.1f ms, p99 %.1f ms (%s)",
          backend, jobs, threads, jobsPerSecond, rawJobsPerSecond, ratio(), simpleRawJobsPerSecond, simpleRatio(), pickupP50Ms, pickupP99Ms, pickupMode);
    }
  }

  /**
   * Runs the three phases on {@code jdbcUrl}.
   *
   * @param jdbcUrl the database, with credentials
   * @param jobs jobs per throughput phase
   * @param threads worker threads (8 in the reference workload)
   * @param pickupSamples jobs enqueued one at a time for the latency phase
   * @param timeout the most each phase may take
   * @throws IllegalStateException if a job was lost or ran twice, a pickup was not seen, or a phase
   *     took longer than {@code timeout}
   */
  public static Figures run(String jdbcUrl, int jobs, int threads, int pickupSamples, Duration timeout) throws Exception {
    Throughput scheduler = schedulerThroughput(jdbcUrl, jobs, threads, timeout);
    Throughput raw = rawThroughput(jdbcUrl, jobs, threads, timeout);
    Throughput simple = simpleRawThroughput(jdbcUrl, jobs, threads, timeout);
    double[] pickup = pickupLatency(jdbcUrl, threads, pickupSamples, timeout);
    String backend = jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite";
    String mode = backend.equals("postgresql") ? "enqueued by another store: LISTEN/NOTIFY" : "enqueued by the same queue: in-process signal";
    return new Figures(backend, jobs, threads, scheduler.jobsPerSecond(), raw.jobsPerSecond(), simple.jobsPerSecond(), pickup[0], pickup[1], mode,
        scheduler.jobsRun(), scheduler.jobsSucceeded(), raw.jobsRun(), simple.jobsRun(), (int) pickup[2]);
  }

  /** A throughput phase: its rate, the distinct jobs run, and the jobs the table shows succeeded. */
  private record Throughput(double jobsPerSecond, int jobsRun, long jobsSucceeded) {}

  private static String prefix() {
    return "bench" + ProcessHandle.current().pid() % 10_000 + "_" + RUNS.incrementAndGet() + "_";
  }

  private static void enqueue(JdbcEventStore store, JobQueue queue, int jobs) {
    for (int done = 0; done < jobs; done += 1000) {
      int n = Math.min(1000, jobs - done);
      store.inTransaction(tx -> {
        for (int i = 0; i < n; i++) {
          queue.enqueue(tx, JobRequest.of("noop"));
        }
        return null;
      });
    }
  }

  private static Throughput schedulerThroughput(String url, int jobs, int threads, Duration timeout) throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix()))) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      enqueue(store, queue, jobs);
      Set<Long> ran = ConcurrentHashMap.newKeySet();
      CountDownLatch allRan = new CountDownLatch(jobs);
      AtomicInteger again = new AtomicInteger();
      queue.register("noop", ctx -> {
        if (ran.add(ctx.jobId())) {
          allRan.countDown();
        } else {
          again.incrementAndGet();
        }
        return JobResult.success();
      });
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      WorkerPool pool = queue.newWorkerPool(threads).start();
      try {
        // Done when every job ran (the latch: no queries while the pool works) and its outcome is
        // written (the table, polled): the rate counts both.
        allRan.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        long succeeded = queue.stats().count(JobState.SUCCEEDED);
        while (succeeded < jobs && System.nanoTime() < deadline) {
          Thread.sleep(2);
          succeeded = queue.stats().count(JobState.SUCCEEDED);
        }
        double rate = jobs / ((System.nanoTime() - start) / 1e9);
        if (succeeded != jobs || ran.size() != jobs || again.get() != 0) {
          throw new IllegalStateException(String.format(Locale.ROOT, "the scheduler phase did not do its work within %s: "
              + "%d of %d jobs succeeded, %d distinct jobs ran, %d runs repeated a job", timeout, succeeded, jobs,
              ran.size(), again.get()));
        }
        return new Throughput(rate, ran.size(), succeeded);
      } finally {
        pool.close();
      }
    }
  }

  private static Throughput rawThroughput(String url, int jobs, int threads, Duration timeout) throws Exception {
    String tables = prefix();
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tables))) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      enqueue(store, queue, jobs);
      Statements sql = statements(url, tables);
      boolean postgres = url.startsWith("jdbc:postgresql:");
      RawLoop loop = new RawLoop(sql.get("scheduler_raw_claim"), sql.get("scheduler_raw_complete"), Map.of());
      int done = drain(store, loop, postgres, jobs, threads, timeout, "the raw loop");
      long succeeded = queue.stats().count(JobState.SUCCEEDED);
      if (succeeded != jobs) {
        throw new IllegalStateException("the raw loop completed " + done + " jobs, but the table shows " + succeeded + " succeeded");
      }
      return new Throughput(jobs / loop.seconds, done, succeeded);
    }
  }

  /**
   * The simple raw limit: the same loop (10 jobs per claim, {@code FOR UPDATE SKIP LOCKED} on
   * PostgreSQL, one writer lock on SQLite) on the narrowest correct table, {@code simple_jobs}: id,
   * queue, due time, state, lease owner and until, a small payload, and one partial index on ready
   * jobs (scheduler_simple_raw_*.sql).
   */
  private static Throughput simpleRawThroughput(String url, int jobs, int threads, Duration timeout) throws Exception {
    String tables = prefix();
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tables))) {
      Statements sql = statements(url, tables);
      boolean postgres = url.startsWith("jdbc:postgresql:");
      store.jdbi().useHandle(h -> {
        h.execute(sql.get("scheduler_simple_raw_table"));
        h.execute(sql.get("scheduler_simple_raw_index"));
      });
      String insert = sql.get("scheduler_simple_raw_enqueue");
      for (int done = 0; done < jobs; done += 1000) {
        int n = Math.min(1000, jobs - done);
        store.jdbi().useTransaction(h -> {
          var batch = h.prepareBatch(insert);
          Object now = time(postgres, Instant.now().truncatedTo(ChronoUnit.MICROS));
          for (int i = 0; i < n; i++) {
            batch.bind("queue", "default").bind("now", now).bind("payload", "{}").add();
          }
          batch.execute();
        });
      }
      RawLoop loop = new RawLoop(sql.get("scheduler_simple_raw_claim"), sql.get("scheduler_simple_raw_complete"),
          Map.of("queue", "default"));
      int done = drain(store, loop, postgres, jobs, threads, timeout, "the simple raw loop");
      return new Throughput(jobs / loop.seconds, done, done);
    }
  }

  private static Statements statements(String url, String tables) {
    return new Statements(SchedulerWorkload.class.getClassLoader(),
        "dev/fabula/examples/benchmarks/" + (url.startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite"),
        Map.of("prefix", tables, "qualified_prefix", tables));
  }

  /** A raw loop's two statements and the extra parameters of its claim; {@link #drain} sets how long it took. */
  private static final class RawLoop {
    final String claim;
    final String complete;
    final Map<String, Object> claimExtras;
    double seconds;

    RawLoop(String claim, String complete, Map<String, Object> claimExtras) {
      this.claim = claim;
      this.complete = complete;
      this.claimExtras = claimExtras;
    }
  }

  /**
   * Runs {@code loop} on {@code threads} threads until no job is left: claim 10 in a transaction,
   * complete them in another. Returns the distinct jobs done; fails if a job was done twice or not
   * all {@code jobs} were.
   */
  private static int drain(JdbcEventStore store, RawLoop loop, boolean postgres, int jobs, int threads, Duration timeout,
                           String what) throws Exception {
    // SQLite has one writer at a time: the raw loop's threads queue on a lock of their own, as ours do.
    Lock lock = postgres ? new NoLock() : new java.util.concurrent.locks.ReentrantLock(true);
    Set<Long> done = ConcurrentHashMap.newKeySet();
    AtomicInteger again = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String owner = "raw-" + t;
        loops.add(pool.submit(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            lock.lock();
            List<Long> ids;
            try {
              ids = store.jdbi().inTransaction(h -> h.createQuery(loop.claim)
                  .bindMap(loop.claimExtras)
                  .bind("now", time(postgres, now))
                  .bind("lease_until", time(postgres, now.plusSeconds(30)))
                  .bind("owner", owner)
                  .bind("limit", 10)
                  .mapTo(Long.class)
                  .list());
            } finally {
              lock.unlock();
            }
            if (ids.isEmpty()) {
              return null;
            }
            lock.lock();
            try {
              store.jdbi().useTransaction(h -> {
                var update = h.createUpdate(loop.complete).bind("ids", ids.toString());
                if (loop.complete.contains(":owner")) { // the simple loop's completion is fenced by owner; the other stamps a time
                  update.bind("owner", owner);
                } else {
                  update.bind("now", time(postgres, Instant.now().truncatedTo(ChronoUnit.MICROS)));
                }
                update.execute();
              });
            } finally {
              lock.unlock();
            }
            for (long id : ids) {
              if (!done.add(id)) {
                again.incrementAndGet();
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : loops) {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " did not drain " + jobs + " jobs within " + timeout + " ("
          + done.size() + " done)", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    loop.seconds = (System.nanoTime() - start) / 1e9;
    if (done.size() != jobs || again.get() != 0) {
      throw new IllegalStateException(String.format(Locale.ROOT, "%s completed %d distinct jobs of %d, %d twice", what,
          done.size(), jobs, again.get()));
    }
    return done.size();
  }

  /** p50 and p99 in ms, and the number of pickups seen (all of them, or the run fails). */
  private static double[] pickupLatency(String url, int threads, int samples, Duration timeout) throws Exception {
    String prefix = prefix();
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix));
         JdbcEventStore otherStore = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix))) {
      boolean postgres = url.startsWith("jdbc:postgresql:");
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      JobQueue producer = postgres ? JobQueue.open(otherStore, JobQueueConfig.DEFAULT) : queue;
      Map<Long, Long> started = new ConcurrentHashMap<>();
      queue.register("ping", ctx -> {
        started.put(ctx.jobId(), System.nanoTime());
        return JobResult.success();
      });
      long phaseDeadline = System.nanoTime() + timeout.toNanos();
      WorkerPool pool = queue.newWorkerPool(threads).start();
      try {
        awaitPickup(producer.enqueue(JobRequest.of("ping")).id(), started, Duration.ofSeconds(30), "the warm-up job");
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
          if (System.nanoTime() > phaseDeadline) {
            throw new IllegalStateException("the pickup phase took longer than " + timeout + " (" + i + " of "
                + samples + " samples)");
          }
          long id = producer.enqueue(JobRequest.of("ping")).id();
          long after = System.nanoTime();
          ms[i] = (awaitPickup(id, started, PICKUP_TIMEOUT, "sample " + (i + 1) + " of " + samples) - after) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[(int) Math.floor(0.50 * (samples - 1))], ms[(int) Math.ceil(0.99 * (samples - 1))], samples};
      } finally {
        pool.close();
      }
    }
  }

  /**
   * Spins (the latency is the figure, so no sleep) until job {@code id}'s handler has started, and
   * returns when it did.
   *
   * @throws IllegalStateException if it has not started within {@code limit}
   */
  private static long awaitPickup(long id, Map<Long, Long> started, Duration limit, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    Long at = started.get(id);
    while (at == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " (job " + id + ") was not picked up within " + limit);
      }
      Thread.onSpinWait();
      at = started.get(id);
    }
    return at;
  }

  /**
   * Runs the workload alone and prints its figures and {@code RESULT} lines. Arguments: jdbc-url
   * [jobs, default 20000] [threads, default 8] [pickup samples, default 200].
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: SchedulerWorkload <jdbc-url> [jobs=20000] [threads=8] [pickup-samples=200]");
      System.exit(2);
    }
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_JOBS;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_THREADS;
    int samples = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_PICKUP_SAMPLES;
    Figures f = run(args[0], jobs, threads, samples, DEFAULT_TIMEOUT);
    System.out.println(f);
    Benchmarks.print(f.results(f.backend().equals("postgresql") ? "pg" : "sqlite"));
  }

  /** A time as the raw loop binds it: timestamptz on PostgreSQL, microseconds since the epoch on SQLite. */
  private static Object time(boolean postgres, Instant instant) {
    return postgres ? java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC)
        : ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  /** No lock: PostgreSQL runs the raw loop's transactions in parallel. */
  private static final class NoLock implements Lock {
    @Override public void lock() {}
    @Override public void lockInterruptibly() {}
    @Override public boolean tryLock() { return true; }
    @Override public boolean tryLock(long time, TimeUnit unit) { return true; }
    @Override public void unlock() {}
    @Override public java.util.concurrent.locks.Condition newCondition() { throw new UnsupportedOperationException(); }
  }
}
