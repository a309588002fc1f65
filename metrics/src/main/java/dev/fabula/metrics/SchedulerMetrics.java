package dev.fabula.metrics;

import dev.fabula.InvalidInputException;
import dev.fabula.metrics.internal.Polled;
import dev.fabula.metrics.internal.Registered;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.SchedulerStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The job queue's meters, polled from {@link JobQueue#stats()} across every process sharing the
 * database: jobs by state, the age of the oldest due job, attempts of the last minute by outcome,
 * the kill switch, paused queues and live worker pools.
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
  private final MetricsConfig config;
  private final Registered meters = new Registered("SchedulerMetrics");
  private final Polled<SchedulerStats> stats;

  private SchedulerMetrics(JobQueue queue, MetricsConfig config) {
    this.config = config;
    this.stats = new Polled<>("scheduler statistics", queue::stats, config.pollInterval());
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

  /** Removes every meter. Harmless twice. */
  @Override
  public void close() {
    meters.close();
  }
}
