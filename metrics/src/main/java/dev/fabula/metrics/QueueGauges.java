package dev.fabula.metrics;

import dev.fabula.metrics.internal.Polled;
import dev.fabula.metrics.internal.Registered;
import dev.fabula.scheduler.ConcurrencyLimit;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.SchedulerStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler's gauges per queue and job type (jobs by state, oldest due job) and per
 * concurrency limit (how full it is), made as the polls find new pairs and limits: {@link
 * SchedulerMetrics}' helper. A pair keeps its gauges once seen (at 0 when its jobs are pruned:
 * queues and types are the application's configuration, a small set); a limit that is removed loses
 * its gauge. Thread-safe: {@link #update} runs inside the poll, the gauges read the last poll.
 */
final class QueueGauges {
  private final Registered meters;
  private final Tags tags;
  private @Nullable Polled<SchedulerStats> stats;
  /** Queue and type pairs that have gauges. */
  private final List<List<String>> pairs = new ArrayList<>();
  /** The gauge of each limit, by scope and name. */
  private final Map<List<String>, Meter> limits = new HashMap<>();

  QueueGauges(Registered meters, Tags tags) {
    this.meters = meters;
    this.tags = tags;
  }

  /** The polled statistics the gauges show; set once, before the first poll. */
  void showing(Polled<SchedulerStats> polled) {
    this.stats = polled;
  }

  /** Adds gauges for pairs and limits seen for the first time, removes removed limits'. */
  synchronized void update(SchedulerStats s) {
    if (meters.closed()) {
      return;
    }
    for (SchedulerStats.TypeStats t : s.byQueueAndType()) {
      List<String> pair = List.of(t.queue(), t.type());
      if (!pairs.contains(pair)) {
        pairs.add(pair);
        register(t.queue(), t.type());
      }
    }
    Map<List<String>, ConcurrencyLimit> now = new HashMap<>();
    for (ConcurrencyLimit l : s.limits()) {
      now.put(List.of(l.scope().name(), l.name()), l);
    }
    for (List<String> gone : new ArrayList<>(limits.keySet())) {
      if (!now.containsKey(gone)) {
        meters.remove(List.of(limits.remove(gone)));
      }
    }
    now.forEach((key, limit) -> limits.computeIfAbsent(key, k -> meters.add(Gauge.builder("fabula.scheduler.limit.used",
            this, g -> g.value(st -> used(st, key)))
        .description("Running jobs in the limit's scope divided by its maximum: 1 is full")
        .tags(tags).tag("scope", limit.scope().name().toLowerCase(Locale.ROOT)).tag("name", limit.name())
        .register(meters.registry()))));
  }

  private void register(String queue, String type) {
    Tags pair = tags.and("queue", queue, "type", type);
    for (JobState state : JobState.values()) {
      meters.add(Gauge.builder("fabula.scheduler.queue.jobs", this, g -> g.value(s -> of(s, queue, type, state)))
          .description("Jobs in each state, per queue and job type")
          .baseUnit("jobs")
          .tags(pair).tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(meters.registry()));
    }
    meters.add(TimeGauge.builder("fabula.scheduler.queue.oldest.due", this, TimeUnit.SECONDS,
            g -> g.value(s -> oldestDue(s, queue, type)))
        .description("How long the oldest due pending job of the queue and type has waited; 0 when none")
        .tags(pair).register(meters.registry()));
  }

  private double value(java.util.function.ToDoubleFunction<SchedulerStats> read) {
    SchedulerStats s = stats == null ? null : stats.get();
    return s == null ? Double.NaN : read.applyAsDouble(s);
  }

  private static double of(SchedulerStats s, String queue, String type, JobState state) {
    for (SchedulerStats.TypeStats t : s.byQueueAndType()) {
      if (t.queue().equals(queue) && t.type().equals(type)) {
        return t.count(state);
      }
    }
    return 0;
  }

  private static double oldestDue(SchedulerStats s, String queue, String type) {
    for (SchedulerStats.TypeStats t : s.byQueueAndType()) {
      if (t.queue().equals(queue) && t.type().equals(type)) {
        return t.oldestDueAge().toNanos() / 1e9;
      }
    }
    return 0;
  }

  /** Running ÷ maximum; a limit of 0 (the scope stopped) is full. NaN once the limit is gone. */
  private static double used(SchedulerStats s, List<String> key) {
    for (ConcurrencyLimit l : s.limits()) {
      if (l.scope().name().equals(key.get(0)) && l.name().equals(key.get(1))) {
        long running = s.running(l);
        return l.maxRunning() == 0 ? 1 : (double) running / l.maxRunning();
      }
    }
    return Double.NaN;
  }
}
