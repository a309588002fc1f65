package dev.fabula.examples.benchmarks;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.WorkerPool;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>It uses the scheduler's public API only; the two raw loops are {@link RawJobLoops}. Each
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
    NoopJobs.Throughput scheduler = schedulerThroughput(jdbcUrl, jobs, threads, timeout);
    NoopJobs.Throughput raw = RawJobLoops.rawThroughput(jdbcUrl, jobs, threads, timeout);
    NoopJobs.Throughput simple = RawJobLoops.simpleRawThroughput(jdbcUrl, jobs, threads, timeout);
    double[] pickup = pickupLatency(jdbcUrl, threads, pickupSamples, timeout);
    String backend = jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite";
    String mode = backend.equals("postgresql") ? "enqueued by another store: LISTEN/NOTIFY" : "enqueued by the same queue: in-process signal";
    return new Figures(backend, jobs, threads, scheduler.jobsPerSecond(), raw.jobsPerSecond(), simple.jobsPerSecond(), pickup[0], pickup[1], mode,
        scheduler.jobsRun(), scheduler.jobsSucceeded(), raw.jobsRun(), simple.jobsRun(), (int) pickup[2]);
  }

  private static NoopJobs.Throughput schedulerThroughput(String url, int jobs, int threads, Duration timeout) throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(NoopJobs.tablePrefix()))) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      NoopJobs.enqueue(store, queue, jobs);
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
        return new NoopJobs.Throughput(rate, ran.size(), succeeded);
      } finally {
        pool.close();
      }
    }
  }

  /** p50 and p99 in ms, and the number of pickups seen (all of them, or the run fails). */
  private static double[] pickupLatency(String url, int threads, int samples, Duration timeout) throws Exception {
    String prefix = NoopJobs.tablePrefix();
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix));
         JdbcEventStore otherStore = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix))) {
      boolean postgres = url.startsWith("jdbc:postgresql:");
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      JobQueue producer = postgres ? JobQueue.open(otherStore, JobQueueConfig.DEFAULT) : queue;
      Map<Long, Long> started = new ConcurrentHashMap<>();
      queue.register("ping", ctx -> {
        long now = System.nanoTime(); // the figure: taken before the waiting thread is told
        synchronized (started) {
          started.put(ctx.jobId(), now);
          started.notifyAll();
        }
        return JobResult.success();
      });
      long phaseDeadline = System.nanoTime() + timeout.toNanos();
      WorkerPool pool = queue.newWorkerPool(threads).start();
      try {
        // Warm-up, not measured: as many pickups as are measured, one at a time (the pickup path's
        // code compiled and its connections open, as in a service that has run for a while; the
        // first second of pickups in a new JVM held most of the ones over 5 ms, up to 16 ms).
        for (int i = 0; i < samples; i++) {
          awaitPickup(producer.enqueue(JobRequest.of("ping")).id(), started, Duration.ofSeconds(30), "warm-up job " + (i + 1));
        }
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
   * Waits until job {@code id}'s handler has started, and returns when it did (the handler's
   * reading). It waits on the map's monitor, which the handler notifies after taking its reading:
   * a thread spinning here would take one of this machine's two cores from the path it measures.
   *
   * @throws IllegalStateException if it has not started within {@code limit}
   */
  private static long awaitPickup(long id, Map<Long, Long> started, Duration limit, String what) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (started) {
      Long at = started.get(id);
      while (at == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(what + " (job " + id + ") was not picked up within " + limit);
        }
        started.wait(Math.max(1, left / 1_000_000));
        at = started.get(id);
      }
      return at;
    }
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
}
