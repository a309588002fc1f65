package dev.fabula.scheduler.bench;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.SchedulerConfig;
import dev.fabula.scheduler.WorkerPool;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

/**
 * The scheduler workload for the benchmark app: jobs per second on no-op jobs with a worker pool
 * of N threads, next to a raw SKIP LOCKED loop (N threads, 10 jobs per claim statement, one
 * completion statement per batch, no history, no leases renewed, no fencing: what users
 * hand-write today), and pickup latency of a job enqueued by another store (another process):
 * on PostgreSQL through LISTEN/NOTIFY, on SQLite (no notifications between processes) through
 * the in-process signal of the same queue.
 *
 * <pre>{@code
 * SchedulerBenchmark.Figures f = SchedulerBenchmark.run("jdbc:postgresql://localhost/bench?user=me", 20_000, 8, 200);
 * System.out.println(f);
 * }</pre>
 *
 * <p>Each phase works in fresh tables (a new table prefix), so runs do not disturb each other;
 * the tables are left behind. Not thread-safe; run one at a time.
 */
public final class SchedulerBenchmark {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private SchedulerBenchmark() {}

  /**
   * What a run measured.
   *
   * @param backend the dialect
   * @param jobs jobs per throughput phase
   * @param threads worker threads
   * @param jobsPerSecond the scheduler's throughput on no-op jobs
   * @param rawJobsPerSecond the raw SKIP LOCKED loop's throughput
   * @param pickupP50Ms median time from enqueue commit to handler start, in ms
   * @param pickupP99Ms 99th percentile of the same, in ms
   * @param pickupMode how new jobs reached the workers in the pickup phase
   */
  public record Figures(String backend, int jobs, int threads, double jobsPerSecond, double rawJobsPerSecond,
                        double pickupP50Ms, double pickupP99Ms, String pickupMode) {

    /** Scheduler throughput over raw-loop throughput (target: at least 0.7). */
    public double ratio() {
      return jobsPerSecond / rawJobsPerSecond;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s: %d no-op jobs, %d threads: scheduler %.0f jobs/s, raw SKIP LOCKED loop (10/claim) "
              + "%.0f jobs/s, ratio %.2f; pickup p50 %.1f ms, p99 %.1f ms (%s)",
          backend, jobs, threads, jobsPerSecond, rawJobsPerSecond, ratio(), pickupP50Ms, pickupP99Ms, pickupMode);
    }
  }

  /**
   * Runs the three phases on {@code jdbcUrl}.
   *
   * @param jdbcUrl the database, with credentials
   * @param jobs jobs per throughput phase
   * @param threads worker threads (8 in the reference workload)
   * @param pickupSamples jobs enqueued one at a time for the latency phase
   */
  public static Figures run(String jdbcUrl, int jobs, int threads, int pickupSamples) throws Exception {
    double scheduler = schedulerThroughput(jdbcUrl, jobs, threads);
    double raw = rawThroughput(jdbcUrl, jobs, threads);
    double[] pickup = pickupLatency(jdbcUrl, threads, pickupSamples);
    String backend = jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite";
    String mode = backend.equals("postgresql") ? "enqueued by another store: LISTEN/NOTIFY" : "enqueued by the same queue: in-process signal";
    return new Figures(backend, jobs, threads, scheduler, raw, pickup[0], pickup[1], mode);
  }

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

  private static double schedulerThroughput(String url, int jobs, int threads) throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withTablePrefix(prefix()))) {
      JobQueue queue = JobQueue.create(store, SchedulerConfig.DEFAULT);
      enqueue(store, queue, jobs);
      CountDownLatch handled = new CountDownLatch(jobs);
      queue.register("noop", ctx -> {
        handled.countDown();
        return JobResult.success();
      });
      long start = System.nanoTime();
      WorkerPool pool = queue.newWorkerPool(threads).start();
      try {
        handled.await(10, TimeUnit.MINUTES);
        while (queue.stats().count(JobState.SUCCEEDED) < jobs) {
          Thread.sleep(2);
        }
        return jobs / ((System.nanoTime() - start) / 1e9);
      } finally {
        pool.close();
      }
    }
  }

  private static double rawThroughput(String url, int jobs, int threads) throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withTablePrefix(prefix()))) {
      JobQueue queue = JobQueue.create(store, SchedulerConfig.DEFAULT);
      enqueue(store, queue, jobs);
      Statements sql = new Statements(SchedulerBenchmark.class.getClassLoader(),
          "dev/fabula/scheduler/" + store.dialect().name(), store.statements().placeholders());
      String claim = sql.get("bench_raw_claim");
      String complete = sql.get("bench_raw_complete");
      Lock lock = store.dialect().writeLock();
      AtomicInteger total = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long start = System.nanoTime();
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String owner = "raw-" + t;
        loops.add(pool.submit(() -> {
          while (true) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            lock.lock();
            List<Long> ids;
            try {
              ids = store.jdbi().inTransaction(h -> h.createQuery(claim)
                  .bind("now", store.dialect().timestamp(now))
                  .bind("lease_until", store.dialect().timestamp(now.plusSeconds(30)))
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
              store.jdbi().useTransaction(h -> h.createUpdate(complete)
                  .bind("ids", ids.toString())
                  .bind("now", store.dialect().timestamp(Instant.now().truncatedTo(ChronoUnit.MICROS)))
                  .execute());
            } finally {
              lock.unlock();
            }
            total.addAndGet(ids.size());
          }
        }));
      }
      for (Future<?> f : loops) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      if (total.get() != jobs) {
        throw new IllegalStateException("the raw loop completed " + total.get() + " of " + jobs + " jobs");
      }
      return jobs / seconds;
    }
  }

  private static double[] pickupLatency(String url, int threads, int samples) throws Exception {
    String prefix = prefix();
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withTablePrefix(prefix));
         JdbcEventStore otherStore = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withTablePrefix(prefix))) {
      boolean postgres = "postgresql".equals(store.dialect().name());
      JobQueue queue = JobQueue.create(store, SchedulerConfig.DEFAULT);
      JobQueue producer = postgres ? JobQueue.create(otherStore, SchedulerConfig.DEFAULT) : queue;
      Map<Long, Long> started = new ConcurrentHashMap<>();
      queue.register("ping", ctx -> {
        started.put(ctx.jobId(), System.nanoTime());
        return JobResult.success();
      });
      WorkerPool pool = queue.newWorkerPool(threads).start();
      try {
        warmUp(producer, started);
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
          long before = System.nanoTime();
          long id = producer.enqueue(JobRequest.of("ping")).id();
          long after = System.nanoTime();
          long deadline = after + TimeUnit.SECONDS.toNanos(10);
          while (!started.containsKey(id) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          Long at = started.get(id);
          ms[i] = at == null ? 10_000 : (at - after) / 1e6;
          if (before > after) {
            throw new IllegalStateException("clock went backwards");
          }
        }
        java.util.Arrays.sort(ms);
        return new double[] {ms[(int) Math.floor(0.50 * (samples - 1))], ms[(int) Math.ceil(0.99 * (samples - 1))]};
      } finally {
        pool.close();
      }
    }
  }

  private static void warmUp(JobQueue producer, Map<Long, Long> started) throws InterruptedException {
    long id = producer.enqueue(JobRequest.of("ping")).id();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!started.containsKey(id) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  /**
   * Prints the figures. Arguments: jdbc-url [jobs, default 20000] [threads, default 8] [pickup
   * samples, default 200].
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: SchedulerBenchmark <jdbc-url> [jobs=20000] [threads=8] [pickup-samples=200]");
      System.exit(2);
    }
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int samples = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    System.out.println(run(args[0], jobs, threads, samples));
  }
}
