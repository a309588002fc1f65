package dev.fabula.examples.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.metrics.StoreMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of metrics on the append path: single-event appends from one thread (t1), in rounds
 * that alternate between no observer and {@link StoreMetrics} bound to a {@link SimpleMeterRegistry}
 * (the store observer, a Micrometer timer and a distribution summary per append), on one store,
 * compared as {@link AbRounds} says (interleaved rounds, per-round overhead, its spread). It also
 * times the metrics' own work per append in a tight loop (no database), which
 * bounds the overhead whatever the noise. Run it alone:
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java \
 *     -Dexec.mainClass=dev.fabula.examples.benchmarks.MetricsOverheadWorkload -Dexec.args="jdbc:sqlite:/tmp/m.db 500 8"
 * </pre>
 *
 * <p>Arguments: a JDBC URL (or {@code pg} for an embedded durable PostgreSQL server), appends per
 * round (500) and rounds per mode (8).
 */
public final class MetricsOverheadWorkload {
  /** Tells this run's streams from an earlier run's on the same tables (a server given by --pg-url). */
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  private MetricsOverheadWorkload() {}

  /** Runs the rounds on {@code store}; result names start with {@code prefix}. */
  static List<Result> run(JdbcEventStore store, String prefix, int appends, int rounds) throws Exception {
    return run(store, prefix, appends, TracingOverheadWorkload.WARMUPS, rounds);
  }

  /** {@link #run(JdbcEventStore, String, int, int)} after {@code warmups} warm-up rounds per mode. */
  static List<Result> run(JdbcEventStore store, String prefix, int appends, int warmups, int rounds) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AbRounds.Comparison c = AbRounds.run(warmups, rounds, List.of(
        new AbRounds.Mode("without", r -> appendRound(store, "n" + r, appends)),
        new AbRounds.Mode("with", r -> {
          try (StoreMetrics metrics = StoreMetrics.of(store)) {
            metrics.bindTo(registry);
            return appendRound(store, "m" + r, appends);
          }
        })));
    List<Result> out = new ArrayList<>(c.results(
        mode -> prefix + ".metrics.append_t1." + mode + ".appends_per_s", mode -> prefix + ".metrics.append_t1", "appends/s"));
    double perAppendNanos = observerNanos();
    out.add(Result.of(prefix + ".metrics.observer_ns_per_append", perAppendNanos, "ns"));
    out.add(Result.of(prefix + ".metrics.observer_share_of_append_ppm", perAppendNanos / (1e9 / c.median("without")) * 1e6, "ppm"));
    return out;
  }

  /** Appends {@code n} single-event streams; appends per second and CPU time per append. */
  private static AbRounds.Sample appendRound(JdbcEventStore store, String round, int n) throws Exception {
    return AbRounds.time(n, () -> {
      for (int i = 0; i < n; i++) {
        store.append("overhead-" + RUN + "-" + round + "-" + i, ExpectedVersion.noStream(),
            List.of(EventData.json("measured", 1, JsonNodeFactory.instance.objectNode().put("n", i))));
      }
    });
  }

  /**
   * What the meters cost per append without the database: a timer and a distribution summary
   * recorded, as the store's observer does after each append, timed over many calls.
   */
  private static double observerNanos() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    io.micrometer.core.instrument.Timer timer = io.micrometer.core.instrument.Timer.builder("t").register(registry);
    io.micrometer.core.instrument.DistributionSummary events =
        io.micrometer.core.instrument.DistributionSummary.builder("e").register(registry);
    int calls = 2_000_000;
    for (int warm = 0; warm < 2; warm++) {
      for (int i = 0; i < calls; i++) {
        long t0 = System.nanoTime();
        timer.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
        events.record(1);
      }
    }
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      timer.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
      events.record(1);
    }
    return (System.nanoTime() - start) / (double) calls;
  }

  /** Runs the workload alone: {@code <url or pg> [appends per round=500] [rounds=8]}. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: MetricsOverheadWorkload <jdbc-url, or pg for an embedded server> [appends=500] [rounds=8]");
      System.exit(2);
    }
    String url = args[0];
    int appends = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    if (url.equals("pg")) {
      url = dev.fabula.testkit.postgres.PostgresServer.durable().createDatabase().jdbcUrlWithCredentials();
    }
    String prefix = url.startsWith("jdbc:postgresql:") ? "pg" : "sqlite";
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("overhead_"))) {
      Benchmarks.print(run(store, prefix, appends, rounds));
    }
  }
}
