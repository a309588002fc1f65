package dev.fabula.examples.benchmarks;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The projection workloads, on one backend:
 *
 * <ol>
 *   <li><b>Catch-up throughput.</b> A new projection with a trivial same-database handler (one
 *       counter update per batch of 1,000, in the checkpoint's transaction) catches up over the
 *       first {@code catchUpEvents} events of the log (topped up first if the log is shorter),
 *       next to its raw limit measured in the same run: a plain {@code readAll} of the same events.
 *       Issue #4's target: at least half the raw rate.
 *   <li><b>End-to-end latency.</b> The same projection, caught up, follows a steady load of
 *       single-event appends at {@code appendsPerSecond}; for each append, the time from its commit
 *       (the append call returned) to the handler receiving the event. On PostgreSQL the appends come
 *       from a second store instance, so the runner learns of them through LISTEN/NOTIFY as a
 *       runner in another process would; on SQLite from the same store (the embedded set-up, one
 *       process), through the in-process signal. Target on PostgreSQL: p99 under 50 ms.
 * </ol>
 *
 * <p>Returns named figures; prints nothing.
 */
final class ProjectionWorkload {
  /** Events the catch-up runs over, by default. */
  static final long DEFAULT_CATCH_UP_EVENTS = 1_000_000;
  /** Appends per second of the latency load, by default. */
  static final int DEFAULT_APPENDS_PER_SECOND = 200;
  /** How long the latency load runs, by default. */
  static final Duration DEFAULT_LOAD_DURATION = Duration.ofSeconds(15);

  private static final int BATCH = 1_000;
  private static final String PROBE = "latency-probe";
  private static final Duration WARM_UP = Duration.ofSeconds(3);

  private final Backend backend;
  private final JdbcEventStore store;
  private final long catchUpEvents;
  private final int appendsPerSecond;
  private final Duration loadDuration;

  ProjectionWorkload(Backend backend, JdbcEventStore store, long catchUpEvents, int appendsPerSecond, Duration loadDuration) {
    this.backend = backend;
    this.store = store;
    this.catchUpEvents = catchUpEvents;
    this.appendsPerSecond = appendsPerSecond;
    this.loadDuration = loadDuration;
  }

  /** The defaults: 1,000,000 events, 200 appends/s for 15 s. */
  ProjectionWorkload(Backend backend, JdbcEventStore store) {
    this(backend, store, DEFAULT_CATCH_UP_EVENTS, DEFAULT_APPENDS_PER_SECOND, DEFAULT_LOAD_DURATION);
  }

  /**
   * Runs both workloads. Figures: {@code <p>.projection.catch_up.events_per_s} (with the raw
   * {@code readAll} rate as its raw limit), {@code <p>.projection.latency.p50_ms}, {@code
   * .p99_ms}, {@code .max_ms} and {@code .samples}.
   */
  List<Result> run() throws Exception {
    String p = backend.prefix();
    List<Result> results = new ArrayList<>();
    topUp();

    // Raw limit: the same events through a plain readAll (also warms the JIT and the page cache).
    long lastPosition = 0;
    long started = System.nanoTime();
    long n = 0;
    try (Stream<RecordedEvent> events = store.readAll(LogQuery.all().limit(catchUpEvents))) {
      for (var it = events.iterator(); it.hasNext(); ) {
        RecordedEvent e = it.next();
        if (e.payload().size() > 0) {
          n++;
        }
        lastPosition = e.position();
      }
    }
    double raw = n / seconds(started);

    String name = "bench-" + Long.toHexString(System.nanoTime());
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE IF NOT EXISTS bench_projection_counter (name VARCHAR(100) PRIMARY KEY, "
          + "events BIGINT NOT NULL, last_position BIGINT NOT NULL)");
      h.execute("INSERT INTO bench_projection_counter (name, events, last_position) VALUES (?, 0, 0)", name);
    });
    Map<Long, Long> appliedAt = new ConcurrentHashMap<>();
    Projection projection = Projection.transactional(name, (h, events) -> {
      h.execute("UPDATE bench_projection_counter SET events = events + ?, last_position = ? WHERE name = ?",
          events.size(), events.get(events.size() - 1).position(), name);
      long now = System.nanoTime(); // applied; the checkpoint's commit follows at once
      for (RecordedEvent e : events) {
        if (e.type().equals(PROBE)) {
          appliedAt.put(e.position(), now);
        }
      }
    }).withBatchSize(BATCH);
    Projections projections = Projections.open(store);
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(projection))) {
      started = System.nanoTime();
      runner.start();
      projections.awaitPosition(projection.id(), lastPosition, Duration.ofHours(1));
      double catchUp = n / seconds(started);
      results.add(Result.vsRaw(p + ".projection.catch_up.events_per_s", catchUp, raw, "events/s"));
      projections.awaitPosition(projection.id(), store.headPosition(), Duration.ofHours(1));

      double[] latencies = latencies(projections, projection, appliedAt);
      Arrays.sort(latencies);
      results.add(Result.of(p + ".projection.latency.p50_ms", percentile(latencies, 0.50), "ms"));
      results.add(Result.of(p + ".projection.latency.p99_ms", percentile(latencies, 0.99), "ms"));
      results.add(Result.of(p + ".projection.latency.max_ms", latencies.length == 0 ? Double.NaN
          : latencies[latencies.length - 1], "ms"));
      results.add(Result.of(p + ".projection.latency.samples", latencies.length, "appends"));
    }
    return results;
  }

  /** Appends until the log holds {@code catchUpEvents} events (not timed). */
  private void topUp() {
    long have;
    try (Stream<RecordedEvent> events = store.readAll(LogQuery.all().limit(catchUpEvents))) {
      have = events.count();
    }
    for (long b = 0; have < catchUpEvents; b++) {
      int size = (int) Math.min(BATCH, catchUpEvents - have);
      List<EventData> events = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        events.add(EventData.json("token-purchased", 1, FoundationWorkload.payload(have + i)));
      }
      store.append("projection-fill-" + System.nanoTime() + "-" + b, ExpectedVersion.noStream(), events);
      have += size;
    }
  }

  /** Runs the steady load and returns each append's commit-to-handler time, in ms. */
  private double[] latencies(Projections projections, Projection projection, Map<Long, Long> appliedAt)
      throws Exception {
    JdbcEventStore writer = backend.isPostgres()
        ? JdbcEventStore.open(backend.url(), EventStoreConfig.DEFAULT, store.jdbcConfig().withMaxPoolSize(4))
        : store;
    Map<Long, Long> committedAt = new ConcurrentHashMap<>();
    try {
      steadyLoad(writer, new ConcurrentHashMap<>(), WARM_UP); // JIT and connections warm; not measured
      steadyLoad(writer, committedAt, loadDuration);
    } finally {
      if (writer != store) {
        writer.close();
      }
    }
    long last = committedAt.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    projections.awaitPosition(projection.id(), last, Duration.ofMinutes(1));
    double[] out = new double[committedAt.size()];
    int i = 0;
    for (Map.Entry<Long, Long> e : committedAt.entrySet()) {
      Long applied = appliedAt.get(e.getKey());
      out[i++] = applied == null ? Double.NaN : Math.max(0, applied - e.getValue()) / 1e6;
    }
    return Arrays.stream(out, 0, i).filter(d -> !Double.isNaN(d)).toArray();
  }

  /** Appends one event every 1/{@code appendsPerSecond} s for {@code duration}, recording commit times. */
  private void steadyLoad(JdbcEventStore writer, Map<Long, Long> committedAt, Duration duration) throws Exception {
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try {
      long[] seq = {0};
      ScheduledFuture<?> task = load.scheduleAtFixedRate(() -> {
        AppendResult r = writer.append("latency-" + (seq[0]++ % 100), ExpectedVersion.any(),
            List.of(EventData.json(PROBE, 1, FoundationWorkload.payload(seq[0]))));
        committedAt.put(r.lastPosition(), System.nanoTime());
      }, 0, 1_000_000_000L / appendsPerSecond, TimeUnit.NANOSECONDS);
      load.schedule(() -> task.cancel(false), duration.toMillis(), TimeUnit.MILLISECONDS).get();
    } finally {
      load.shutdown();
      load.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  private static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
