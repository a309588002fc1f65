package dev.fabula.metrics;

import dev.fabula.InvalidInputException;
import dev.fabula.metrics.internal.Polled;
import dev.fabula.metrics.internal.Registered;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.SchedulerStats;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.spi.JobObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The job queue's meters: polled from {@link JobQueue#stats()} across every process sharing the
 * database (jobs by state, the age of the oldest due job, attempts of the last minute by outcome,
 * the kill switch, paused queues and live worker pools), and fed by this process's worker pools
 * through the {@link JobObserver} hook, per queue and job type: pickup latency (due → started),
 * run time by outcome (succeeded, retried, failed, snoozed) and rescues. Per queue and job type
 * too, polled: jobs by state and the oldest due job (gauges made at the first poll that sees the
 * pair); and how full each concurrency limit is. Queue and type are tags: they are configuration
 * (the queues and handlers an application registers, a small set), not data.
 *
 * <pre>{@code
 * SchedulerMetrics.of(queue).bindTo(registry);
 * }</pre>
 *
 * <p>One read of the statistics (a few queries) serves every gauge for {@link
 * MetricsConfig#pollInterval()}; a scrape, not a background thread, triggers it. While the
 * database cannot be read the gauges show NaN. The statistics cover the whole database: bind them
 * in one process (or tag each process with {@link MetricsConfig#withTags}) and do not sum them
 * across instances. Thread-safe. Needs {@code fabula-scheduler} on the class path (an optional
 * dependency of {@code fabula-metrics}).
 */
public final class SchedulerMetrics implements MeterBinder, AutoCloseable {
  private final JobQueue queue;
  private final MetricsConfig config;
  private final Registered meters = new Registered("SchedulerMetrics");
  private final Polled<SchedulerStats> stats;
  private final QueueGauges perQueue;
  /** Meters fed by this process's pools, made at their first use: per queue, type (and outcome). */
  private final Map<List<String>, Meter> fed = new ConcurrentHashMap<>();
  /**
   * The timers of each queue and job type, by queue then type: what a run looks up, without
   * building a key or a tag per job (the claim path's cost, {@code docs/benchmarks.md}).
   */
  private final Map<String, Map<String, JobTimers>> timers = new ConcurrentHashMap<>();
  private JdbcEventStore.@Nullable Registration observing;

  private SchedulerMetrics(JobQueue queue, MetricsConfig config) {
    this.queue = queue;
    this.config = config;
    this.perQueue = new QueueGauges(meters, Tags.of(config.tags()));
    this.stats = new Polled<>("scheduler statistics", this::read, config.pollInterval());
    perQueue.showing(stats);
  }

  /** The meters of {@code queue}, default configuration; not bound yet. */
  public static SchedulerMetrics of(JobQueue queue) {
    return of(queue, MetricsConfig.DEFAULT);
  }

  /** The meters of {@code queue}, built as {@code config} says; not bound yet. */
  public static SchedulerMetrics of(JobQueue queue, MetricsConfig config) {
    if (queue == null) {
      throw new InvalidInputException("queue must not be null");
    }
    if (config == null) {
      throw new InvalidInputException("config must not be null; use MetricsConfig.DEFAULT");
    }
    return new SchedulerMetrics(queue, config);
  }

  /**
   * Registers the meters in {@code registry}; no database read until a scrape. Binding to the same
   * registry again does nothing.
   *
   * @throws dev.fabula.EventStoreException if bound to another registry or closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    if (!meters.bind(registry)) {
      return;
    }
    Tags tags = Tags.of(config.tags());
    for (JobState state : JobState.values()) {
      gauge(registry, "fabula.scheduler.jobs", "Jobs in each state", "jobs",
          tags.and("state", state.name().toLowerCase(Locale.ROOT)), s -> s.count(state));
    }
    meters.add(TimeGauge.builder("fabula.scheduler.jobs.oldest.due", stats, TimeUnit.SECONDS,
            p -> value(p, s -> s.oldestDueAge().toNanos() / 1e9))
        .description("How long the oldest due pending job has waited; 0 when none")
        .tags(tags).register(registry));
    gauge(registry, "fabula.scheduler.attempts.last.minute", "Attempts that ended in the last minute, by outcome",
        "attempts", tags.and("outcome", "succeeded"), SchedulerStats::succeededLastMinute);
    gauge(registry, "fabula.scheduler.attempts.last.minute", "Attempts that ended in the last minute, by outcome",
        "attempts", tags.and("outcome", "failed"), SchedulerStats::failedLastMinute);
    gauge(registry, "fabula.scheduler.kill.switch", "1 while the kill switch pauses all processing, else 0", null, tags,
        s -> s.killSwitchOn() ? 1 : 0);
    gauge(registry, "fabula.scheduler.queues.paused", "Paused queues", "queues", tags, s -> s.pausedQueues().size());
    gauge(registry, "fabula.scheduler.workers.live", "Worker pools with a recent heartbeat, in every process", "pools",
        tags, s -> s.liveWorkers().size());
    synchronized (this) {
      observing = queue.observe(new Observer());
    }
  }

  /** One poll: reads the statistics, then adds gauges for new queue and type pairs and limits. */
  private SchedulerStats read() {
    SchedulerStats s = queue.stats();
    perQueue.update(s);
    return s;
  }

  /** Turns what this process's pools tell into meter updates. */
  private final class Observer implements JobObserver {
    @Override
    public void ran(Job job, Instant started, Instant finished, JobRun.Outcome outcome, boolean retrying) {
      JobTimers t = timers(job);
      t.pickup.record(nonNegativeNanos(job.runAt(), started), TimeUnit.NANOSECONDS);
      int result = outcome == JobRun.Outcome.FAILED && retrying ? RETRIED : outcome.ordinal();
      t.run(result).record(nonNegativeNanos(started, finished), TimeUnit.NANOSECONDS);
    }

    @Override
    public void rescued(Job job, boolean failed) {
      Counter rescues = (Counter) fed.computeIfAbsent(List.of("rescues", job.queue(), job.type()),
          k -> meters.add(Counter.builder("fabula.scheduler.job.rescues")
              .description("Jobs rescued after their worker stopped renewing the lease, by this process's pools")
              .tags(Tags.of(config.tags())).tag("queue", job.queue()).tag("type", job.type())
              .register(meters.registry())));
      rescues.increment();
    }
  }

  /** Where {@link #RESULTS} keeps the tag of a failed run that will be retried; before it, which reads it. */
  private static final int RETRIED = JobRun.Outcome.values().length;
  /** The {@code outcome} tag of a run, by {@link JobRun.Outcome#ordinal()}, then a failed run that will be retried. */
  private static final String[] RESULTS = results();

  private static String[] results() {
    String[] words = new String[JobRun.Outcome.values().length + 1];
    for (JobRun.Outcome o : JobRun.Outcome.values()) {
      words[o.ordinal()] = o.name().toLowerCase(Locale.ROOT);
    }
    words[RETRIED] = "retried";
    return words;
  }

  private JobTimers timers(Job job) {
    Map<String, JobTimers> byType = timers.get(job.queue());
    if (byType == null) {
      byType = timers.computeIfAbsent(job.queue(), q -> new ConcurrentHashMap<>());
    }
    JobTimers t = byType.get(job.type());
    if (t == null) {
      t = byType.computeIfAbsent(job.type(), type -> new JobTimers(job.queue(), type));
    }
    return t;
  }

  /** The pickup timer of one queue and job type, and its run timers by result, made at first use. */
  private final class JobTimers {
    final String queue;
    final String type;
    final Timer pickup;
    private final AtomicReferenceArray<Timer> runs = new AtomicReferenceArray<>(RESULTS.length);

    JobTimers(String queue, String type) {
      this.queue = queue;
      this.type = type;
      this.pickup = timer("fabula.scheduler.job.pickup", "From when a job was due to when its handler started, in this process",
          queue, type, null);
    }

    Timer run(int result) {
      Timer t = runs.get(result);
      if (t == null) {
        t = timer("fabula.scheduler.job.run", "Handler runs in this process, by outcome", queue, type, RESULTS[result]);
        runs.set(result, t); // timer() hands out one timer per name and tags, so a race sets the same one
      }
      return t;
    }
  }

  private Timer timer(String name, String description, String queue, String type, @Nullable String outcome) {
    return (Timer) fed.computeIfAbsent(Arrays.asList(name, queue, type, outcome), k -> {
      Tags tags = Tags.of(config.tags()).and("queue", queue, "type", type);
      return meters.add(Timer.builder(name)
          .description(description)
          .tags(outcome == null ? tags : tags.and("outcome", outcome))
          .publishPercentileHistogram(config.percentileHistogram())
          .publishPercentiles(config.percentileArray())
          .register(meters.registry()));
    });
  }

  /** Nanoseconds from {@code from} to {@code to}: 0 if {@code to} is earlier, capped near 292 years. */
  static long nonNegativeNanos(Instant from, Instant to) {
    long seconds = to.getEpochSecond() - from.getEpochSecond();
    if (seconds < 0) {
      return 0;
    }
    if (seconds >= Long.MAX_VALUE / 1_000_000_000L - 1) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, seconds * 1_000_000_000L + (to.getNano() - from.getNano()));
  }

  private void gauge(
      MeterRegistry registry, String name, String description, @Nullable String unit, Tags tags,
      ToDoubleFunction<SchedulerStats> read) {
    meters.add(Gauge.builder(name, stats, p -> value(p, read))
        .description(description).baseUnit(unit).tags(tags).register(registry));
  }

  private static double value(Polled<SchedulerStats> polled, ToDoubleFunction<SchedulerStats> read) {
    SchedulerStats s = polled.get();
    return s == null ? Double.NaN : read.applyAsDouble(s);
  }

  /** Stops observing the pools and removes every meter. Harmless twice. */
  @Override
  public void close() {
    synchronized (this) {
      if (observing != null) {
        observing.close();
        observing = null;
      }
    }
    meters.close();
    fed.clear();
    timers.clear();
  }
}
