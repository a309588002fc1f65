package dev.fabula.examples.benchmarks;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.metrics.SchedulerMetrics;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
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
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
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
 * queue, type and outcome); and {@link JobTracing} through the OpenTelemetry SDK with a batch
 * processor and an exporter that drops the spans (a run span per job, child of the trace that
 * enqueued it). In every mode the jobs are enqueued inside an application span by a store with
 * {@link TraceMetadata#enricher()}, so every job carries a {@code traceparent} header: the
 * difference between the modes is the observer alone.
 *
 * <p>A round enqueues its jobs (not timed), then is timed from the pool's start until every job
 * ran and the pool closed (so every outcome is written). A round counts only if every job ran
 * exactly once and the table shows them all succeeded; otherwise, or past the timeout, the run
 * fails with an {@link IllegalStateException}.
 *
 * <p>It also times each observer's own work per job without the database, on one thread in a
 * tight loop (the observer as the queue registers it, fed a claimed job): wall time, CPU time and
 * bytes allocated per job. Runs inside the benchmark app, or alone:
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
  private static final int OBSERVER_CALLS = 200_000;
  /** The most one round may take. */
  private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);

  private ClaimOverheadWorkload() {}

  /** The queue, the handler's counts and what the rounds need. */
  private static final class Bench {
    final JdbcEventStore store;
    final JobQueue queue;
    final Tracer app;
    final int jobs;
    final int threads;
    final Set<Long> ran = ConcurrentHashMap.newKeySet();
    final AtomicInteger again = new AtomicInteger();
    volatile CountDownLatch round = new CountDownLatch(0);
    long enqueued;

    Bench(JdbcEventStore store, JobQueue queue, Tracer app, int jobs, int threads) {
      this.store = store;
      this.queue = queue;
      this.app = app;
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

    /** One round: enqueue (not timed), then start a pool, wait for every job, close the pool. */
    AbRounds.Sample round() throws Exception {
      Span request = app.spanBuilder("enqueue").startSpan();
      try (Scope ignored = request.makeCurrent()) {
        NoopJobs.enqueue(store, queue, jobs);
      } finally {
        request.end();
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
    return run(url, prefix, jobs, threads, rounds, OBSERVER_CALLS);
  }

  /** {@link #run(String, String, int, int, int)}, timing the observers over {@code observerCalls} calls. */
  static List<Result> run(String url, String prefix, int jobs, int threads, int rounds, int observerCalls) throws Exception {
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(NoopJobs.tablePrefix());
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(BatchSpanProcessor.builder(new TracingOverheadWorkload.Discarding()).build()).build())
            .build();
        JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withMetadataEnricher(TraceMetadata.enricher()), jdbc)) {
      Bench bench = new Bench(store, JobQueue.open(store, JobQueueConfig.DEFAULT), sdk.getTracer("benchmark"), jobs, threads);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      AbRounds.Comparison c = AbRounds.run(rounds, List.of(
          new AbRounds.Mode("plain", r -> bench.round()),
          new AbRounds.Mode("metrics", r -> {
            try (SchedulerMetrics metrics = SchedulerMetrics.of(bench.queue)) {
              metrics.bindTo(registry);
              return bench.round();
            }
          }),
          new AbRounds.Mode("tracing", r -> {
            try (JobTracing tracing = JobTracing.of(bench.queue, sdk)) {
              return bench.round();
            }
          })));
      String t = ".claim_t" + threads;
      List<Result> out = new ArrayList<>(c.results(mode -> prefix + ".claim.t" + threads + "." + mode + ".jobs_per_s",
          mode -> prefix + "." + mode + t, "jobs/s"));
      double plainCpu = c.medianCpu("plain");
      Job job = claimedJob(sdk.getTracer("benchmark"));
      ObserverCost metrics = cost(observer(q -> SchedulerMetrics.of(q).bindTo(new SimpleMeterRegistry())), job, observerCalls);
      ObserverCost tracing = cost(observer(q -> JobTracing.of(q, sdk)), job, observerCalls);
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

  /** A job as a worker claimed it: due a moment ago, first attempt, enqueued inside a trace. */
  static Job claimedJob(Tracer app) {
    Span span = app.spanBuilder("enqueue").startSpan();
    String traceparent = "00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-01";
    span.end();
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
