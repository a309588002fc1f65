package dev.fabula.examples.benchmarks;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.metrics.SchedulerMetrics;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.Priority;
import dev.fabula.scheduler.Trigger;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.scheduler.spi.JobObserver;
import dev.fabula.tracing.JobTracing;
import dev.fabula.tracing.TraceMetadata;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The cost of metrics and tracing on the claim path: the scheduler's throughput on no-op jobs with
 * a worker pool of several threads (as in {@link SchedulerWorkload}), in rounds that {@link
 * AbRounds} interleaves between three modes on one queue: plain; {@link SchedulerMetrics} bound to
 * a {@link SimpleMeterRegistry} (its job observer: a pickup timer and a run timer per job, per
 * queue, type and outcome); and {@link JobTracing} (a run span per job, child of the trace that
 * enqueued it) through the OpenTelemetry SDK configured as a production service's would be
 * ({@link TracingOverheadWorkload#sdk()}: a parent-based sampler, the default batch processor, an
 * exporter that discards), in two modes: {@code tracing}, where one enqueuing request in {@value
 * TracingOverheadWorkload#SAMPLED_ONE_IN} arrived sampled, and {@code tracing_all}, where every one
 * did (every run span recorded and exported: the worst case). A {@code control} mode registers an
 * observer that does nothing: its "overhead" is this machine's noise floor, the size an overhead
 * must exceed to be one. In every mode each job is enqueued
 * in a request of its own ({@link TracingOverheadWorkload#request}) by a store with {@link
 * TraceMetadata#enricher()}, so every job carries a {@code traceparent} header: the difference
 * between the modes is the observer alone.
 *
 * <p>A round enqueues its jobs (not timed), then is timed from the pool's start until every job
 * ran and the pool closed (so every outcome is written). A round counts only if every job ran
 * exactly once and the table shows them all succeeded; otherwise, or past the timeout, the run
 * fails with an {@link IllegalStateException}.
 *
 * <p>Before the rounds it times each observer's own work per job without the database, on one
 * thread in a tight loop (the observer as the queue registers it, fed a claimed job of a sampled
 * trace): wall time, CPU time and bytes allocated per job. The loops also get the observers' code
 * compiled, as it is in a long-running service; the rounds start after {@link
 * TracingOverheadWorkload#WARMUPS} warm-up rounds per mode. Runs inside the benchmark app, or
 * alone:
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java \
 *     -Dexec.mainClass=dev.fabula.examples.benchmarks.ClaimOverheadWorkload -Dexec.args="jdbc:sqlite:/tmp/c.db 2000 8 10"
 * </pre>
 *
 * <p>Arguments: a JDBC URL (or {@code pg} for an embedded durable PostgreSQL server), jobs per
 * round (2,000), worker threads (8) and rounds per mode (10). Not thread-safe; one run at a time.
 */
public final class ClaimOverheadWorkload {
  /** Jobs per round, by default. */
  public static final int DEFAULT_JOBS = 2_000;
  /** Rounds per mode, by default. */
  public static final int DEFAULT_ROUNDS = 10;
  /** Calls per pass when an observer's own work is timed. */
  static final int OBSERVER_CALLS = 200_000;
  /** The most one round may take. */
  private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);

  private ClaimOverheadWorkload() {}

  /** The queue, the handler's counts and what the rounds need. */
  private static final class Bench {
    final JdbcEventStore store;
    final JobQueue queue;
    final int jobs;
    final int threads;
    final Set<Long> ran = ConcurrentHashMap.newKeySet();
    final AtomicInteger again = new AtomicInteger();
    volatile CountDownLatch round = new CountDownLatch(0);
    long enqueued;

    Bench(JdbcEventStore store, JobQueue queue, int jobs, int threads) {
      this.store = store;
      this.queue = queue;
      this.jobs = jobs;
      this.threads = threads;
      queue.register("noop", ctx -> {
        if (ran.add(ctx.jobId())) {
          round.countDown();
        } else {
          again.incrementAndGet();
        }
        return JobResult.success();
      });
    }

    /**
     * One round: enqueue (not timed; each job in a request of its own, one in {@code sampledOneIn}
     * sampled upstream), then start a pool, wait for every job, close the pool.
     */
    AbRounds.Sample round(int sampledOneIn) throws Exception {
      for (int done = 0; done < jobs; done += 1000) {
        int n = Math.min(1000, jobs - done);
        store.inTransaction(tx -> {
          for (int i = 0; i < n; i++) {
            try (Scope ignored = TracingOverheadWorkload.request(i % sampledOneIn == 0).makeCurrent()) {
              queue.enqueue(tx, JobRequest.of("noop"));
            }
          }
          return null;
        });
      }
      enqueued += jobs;
      CountDownLatch all = new CountDownLatch(jobs);
      round = all;
      boolean[] done = new boolean[1];
      AbRounds.Sample sample = AbRounds.time(jobs, () -> {
        WorkerPool pool = queue.newWorkerPool(threads).start();
        try {
          done[0] = all.await(ROUND_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
          pool.close();
        }
      });
      long succeeded = queue.stats().count(JobState.SUCCEEDED);
      if (!done[0] || ran.size() != enqueued || again.get() != 0 || succeeded != enqueued) {
        throw new IllegalStateException(String.format(Locale.ROOT, "a claim round did not do its work within %s: "
            + "%d of %d jobs succeeded, %d distinct jobs ran, %d runs repeated a job", ROUND_TIMEOUT, succeeded,
            enqueued, ran.size(), again.get()));
      }
      return sample;
    }
  }

  /**
   * Runs the rounds on {@code url}, in fresh tables; result names start with {@code prefix}.
   *
   * @throws IllegalStateException if a round lost a job, ran one twice or took too long
   */
  static List<Result> run(String url, String prefix, int jobs, int threads, int rounds) throws Exception {
    return run(url, prefix, jobs, threads, rounds, OBSERVER_CALLS, TracingOverheadWorkload.WARMUPS);
  }

  /**
   * {@link #run(String, String, int, int, int)}, timing the observers over {@code observerCalls}
   * calls, after {@code warmups} warm-up rounds per mode.
   */
  static List<Result> run(String url, String prefix, int jobs, int threads, int rounds, int observerCalls, int warmups)
      throws Exception {
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(NoopJobs.tablePrefix());
    try (OpenTelemetrySdk sdk = TracingOverheadWorkload.sdk();
        JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withMetadataEnricher(TraceMetadata.enricher()), jdbc)) {
      Bench bench = new Bench(store, JobQueue.open(store, JobQueueConfig.DEFAULT), jobs, threads);
      Job job = claimedJob();
      ObserverCost metrics = cost(observer(q -> SchedulerMetrics.of(q).bindTo(new SimpleMeterRegistry())), job, observerCalls);
      ObserverCost tracing = cost(observer(q -> JobTracing.of(q, sdk)), job, observerCalls);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      int oneIn = TracingOverheadWorkload.SAMPLED_ONE_IN;
      AbRounds.Comparison c = AbRounds.run(warmups, rounds, List.of(
          new AbRounds.Mode("plain", r -> bench.round(oneIn)),
          new AbRounds.Mode("control", r -> {
            try (JdbcEventStore.Registration ignored = bench.queue.observe(new JobObserver() {})) {
              return bench.round(oneIn);
            }
          }),
          new AbRounds.Mode("metrics", r -> {
            try (SchedulerMetrics m = SchedulerMetrics.of(bench.queue)) {
              m.bindTo(registry);
              return bench.round(oneIn);
            }
          }),
          new AbRounds.Mode("tracing", r -> {
            try (JobTracing t = JobTracing.of(bench.queue, sdk)) {
              return bench.round(oneIn);
            }
          }),
          new AbRounds.Mode("tracing_all", r -> {
            try (JobTracing t = JobTracing.of(bench.queue, sdk)) {
              return bench.round(1);
            }
          })));
      String t = ".claim_t" + threads;
      List<Result> out = new ArrayList<>(c.results(mode -> prefix + ".claim.t" + threads + "." + mode + ".jobs_per_s",
          mode -> prefix + "." + (mode.equals("tracing_all") ? "tracing_all_sampled" : mode) + t, "jobs/s"));
      double plainCpu = c.medianCpu("plain");
      out.addAll(metrics.results(prefix + ".metrics.job_observer", plainCpu));
      out.addAll(tracing.results(prefix + ".tracing.job_observer", plainCpu));
      return out;
    }
  }

  /**
   * An observer's own work per job, on one thread.
   *
   * @param wallNanos wall time per call
   * @param cpuNanos CPU time per call
   * @param bytes heap allocated per call
   */
  record ObserverCost(double wallNanos, double cpuNanos, double bytes) {
    /** The figures, the last one against {@code plainCpuPerJob}, the CPU time a plain job cost this process. */
    List<Result> results(String name, double plainCpuPerJob) {
      return List.of(
          Result.of(name + ".ns_per_job", wallNanos, "ns"),
          Result.of(name + ".cpu_ns_per_job", cpuNanos, "ns"),
          Result.of(name + ".bytes_per_job", bytes, "B"),
          Result.of(name + ".share_of_job_cpu_pct", cpuNanos / plainCpuPerJob * 100, "%"));
    }
  }

  /** A job as a worker claimed it: due a moment ago, first attempt, enqueued inside a sampled trace. */
  static Job claimedJob() {
    SpanContext span = Span.fromContext(TracingOverheadWorkload.request(true)).getSpanContext();
    String traceparent = "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01";
    Instant now = Instant.now();
    return new Job(42, "default", "noop", "{}", Priority.MEDIUM, JobState.RUNNING, now.minusMillis(3), 1, 5,
        Trigger.MANUAL, null, null, null, null, null, "worker-1", now.plusSeconds(30), now.minusMillis(1), 7, null,
        null, now.minusMillis(5), null, Map.of(TraceMetadata.TRACEPARENT, traceparent));
  }

  /**
   * The observer {@code attach} registers on a queue: a stand-in queue that keeps what {@link
   * JobQueue#observe} is given and supports nothing else.
   */
  static JobObserver observer(Consumer<JobQueue> attach) {
    AtomicReference<JobObserver> seen = new AtomicReference<>();
    JobQueue capturing = (JobQueue) Proxy.newProxyInstance(JobQueue.class.getClassLoader(), new Class<?>[] {JobQueue.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "observe" -> {
            seen.set((JobObserver) args[0]);
            yield (JdbcEventStore.Registration) () -> {};
          }
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "a queue that only records its observer";
          default -> throw new UnsupportedOperationException(method.getName());
        });
    attach.accept(capturing);
    if (seen.get() == null) {
      throw new IllegalStateException("nothing observed the queue");
    }
    return seen.get();
  }

  /** Times {@code observer} hearing {@code job}'s successful run, in a tight loop after two warm-up passes. */
  static ObserverCost cost(JobObserver observer, Job job, int calls) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Instant started = job.claimedAt();
    Instant finished = started.plusNanos(50_000);
    double wall = 0;
    double cpu = 0;
    double bytes = 0;
    for (int pass = 0; pass < 3; pass++) {
      long bytes0 = threads.getCurrentThreadAllocatedBytes();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        observer.ran(job, started, finished, JobRun.Outcome.SUCCEEDED, false);
      }
      wall = (System.nanoTime() - wall0) / (double) calls;
      cpu = (threads.getCurrentThreadCpuTime() - cpu0) / (double) calls;
      bytes = (threads.getCurrentThreadAllocatedBytes() - bytes0) / (double) calls;
    }
    return new ObserverCost(wall, cpu, bytes);
  }

  /** Runs the workload alone: {@code <url or pg> [jobs per round=2000] [threads=8] [rounds=10]}. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ClaimOverheadWorkload <jdbc-url, or pg for an embedded server> [jobs=2000] [threads=8] [rounds=10]");
      System.exit(2);
    }
    String url = args[0];
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_JOBS;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : SchedulerWorkload.DEFAULT_THREADS;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_ROUNDS;
    if (url.equals("pg")) {
      url = dev.fabula.testkit.postgres.PostgresServer.durable().createDatabase().jdbcUrlWithCredentials();
    }
    Benchmarks.print(run(url, url.startsWith("jdbc:postgresql:") ? "pg" : "sqlite", jobs, threads, rounds));
  }
}
