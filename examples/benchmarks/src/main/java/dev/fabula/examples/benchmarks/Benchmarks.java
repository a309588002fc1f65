package dev.fabula.examples.benchmarks;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The benchmark app. Runs every workload on SQLite (a file, configured as the library configures it
 * for users) and on PostgreSQL (an embedded server with {@code fsync=on} and {@code
 * synchronous_commit=on}, or the server of {@code --pg-url}), next to its raw-JDBC limit in the
 * same run, then prints a table and one {@code RESULT <name> <value> <unit>} line per figure plus
 * {@code RESULT <name>.vs_raw <ratio> x} (against raw JDBC on a table like ours) and, for the
 * foundation workloads, {@code RESULT <name>.vs_simple_raw <ratio> x} (against the simplest correct
 * events table, see {@link FoundationWorkload}).
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java -Dexec.args="--log-events 1000000"
 * </pre>
 *
 * Options: {@code --batch-events N} (default 100000), {@code --single-events N} (default 4000),
 * {@code --log-events N} events in the log for the heap probe (default 1000000), {@code
 * --backfill-rows N} legacy rows imported by the migration toolkit (default 50000; its rate is
 * shown next to the raw batched-insert rate), {@code --projection-events N} for the projection
 * catch-up (default 1000000), {@code --scheduler-jobs N} no-op jobs drained by 8 worker threads
 * next to a raw SKIP LOCKED loop (default 20000); a hot aggregate ({@link HotAggregateWorkload}:
 * 16 threads on one aggregate, without backoff, with backoff, serialised); {@code --pg-url
 * URL}, {@code --only sqlite|pg}, {@code --foundation-only} (appends and the log read only),
 * {@code --targets-only} (what the performance targets are judged on: appends and their CPU cost,
 * backfill, the log read, SQLite at other settings, projections, the scheduler);
 * the overhead of metrics and tracing on appends and on the claim path ({@link
 * MetricsOverheadWorkload}, {@link TracingOverheadWorkload}, {@link ClaimOverheadWorkload}; {@code
 * --overhead-only} runs only these, {@code --claim-jobs N} jobs per claim round, default 2000,
 * {@code --overhead-rounds N} rounds per mode, default 10, after {@code --overhead-warmups N}
 * warm-up rounds per mode, default 2);
 * {@code --sqlite-synchronous NORMAL} the SQLite append pass at
 * other {@code synchronous} settings, comma-separated, against the simple raw table ({@link
 * SqliteSynchronousWorkload}; {@code none} skips it); {@code --growth-events N} builds a store of N
 * events and compares appends and stream reads on it with an empty one ({@link GrowthWorkload};
 * 0, the default, skips it). On PostgreSQL, {@link AppendCostWorkload} also prints the CPU time a
 * single-event append costs the client and the server, at 1 and 8 threads, next to the simple raw
 * loop's: figures that hold on a busy machine, where rates do not. {@link TenantDatabasesWorkload}:
 * appends and claims with tenants spread over 1, 2 and 4 PostgreSQL databases.
 * Projection catch-up with 1, 2 and 4 segments ({@link SegmentsWorkload}; {@code --segment-events
 * N}, default 20000; {@code --segments-only} runs only it).
 */
public final class Benchmarks {
  private Benchmarks() {}

  /** Runs the benchmarks. */
  public static void main(String[] args) throws Exception {
    int batchEvents = intArg(args, "--batch-events", 100_000);
    int singleEvents = intArg(args, "--single-events", 4_000);
    int logEvents = intArg(args, "--log-events", 1_000_000);
    int backfillRows = intArg(args, "--backfill-rows", 50_000);
    int projectionEvents = intArg(args, "--projection-events", 1_000_000);
    int schedulerJobs = intArg(args, "--scheduler-jobs", SchedulerWorkload.DEFAULT_JOBS);
    String only = stringArg(args, "--only", "");
    String sqliteSynchronous = stringArg(args, "--sqlite-synchronous", "NORMAL");
    long growthEvents = Long.parseLong(stringArg(args, "--growth-events", "0").replace("_", ""));
    boolean foundationOnly = List.of(args).contains("--foundation-only");
    boolean overheadOnly = List.of(args).contains("--overhead-only");
    boolean targetsOnly = List.of(args).contains("--targets-only");
    int segmentEvents = intArg(args, "--segment-events", 20_000);
    boolean segmentsOnly = List.of(args).contains("--segments-only");
    int claimJobs = intArg(args, "--claim-jobs", ClaimOverheadWorkload.DEFAULT_JOBS);
    int overheadRounds = intArg(args, "--overhead-rounds", ClaimOverheadWorkload.DEFAULT_ROUNDS);
    int overheadWarmups = intArg(args, "--overhead-warmups", TracingOverheadWorkload.WARMUPS);
    List<Backend> backends = new ArrayList<>();
    Path dir = Files.createTempDirectory("fabula-bench");
    if (!only.equals("pg")) {
      backends.add(new Backend("sqlite", "jdbc:sqlite:" + dir.resolve("bench.db"),
          "SQLite " + org.sqlite.SQLiteJDBCLoader.getVersion() + ", journal_mode=WAL, synchronous=FULL"));
    }
    if (!only.equals("sqlite")) {
      String url = stringArg(args, "--pg-url", "");
      if (url.isEmpty()) {
        PostgresServer server = PostgresServer.durable();
        PostgresDatabase db = server.createDatabase();
        url = db.jdbcUrlWithCredentials();
        backends.add(new Backend("pg", url, "PostgreSQL (" + server.description() + "), settings " + server.settings()));
      } else {
        backends.add(new Backend("pg", url, "PostgreSQL at --pg-url, its own settings"));
      }
    }

    List<Result> results = new ArrayList<>();
    for (Backend backend : backends) {
      System.out.println("== " + backend.prefix() + ": " + backend.settings());
      if (segmentsOnly) {
        results.addAll(segments(backend, segmentEvents));
        continue;
      }
      if (overheadOnly) {
        results.addAll(overhead(backend, claimJobs, overheadWarmups, overheadRounds));
        continue;
      }
      try (JdbcEventStore store = JdbcEventStore.open(backend.url(), EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withMaxPoolSize(16))) {
        List<Result> foundation = new FoundationWorkload(backend, store, batchEvents, singleEvents).run();
        results.addAll(foundation);
        if (backend.isPostgres()) {
          for (int threads : new int[] {1, 8}) {
            results.addAll(AppendCostWorkload.run(backend, store, store.forTenant("cost"), 2_000, threads));
          }
        }
        if (foundationOnly) {
          continue;
        }
        double rawBatchRate = foundation.get(0).raw();
        double backfill = BackfillWorkload.rowsPerSecond(store, backfillRows);
        results.add(Result.vsRaw(backend.prefix() + ".backfill.rows_per_s", backfill, rawBatchRate, "rows/s"));
        fill(store, logEvents);
        results.addAll(LogReadWorkload.run(backend, store));
      }
      if (!backend.isPostgres() && !sqliteSynchronous.equalsIgnoreCase("none")) {
        for (String setting : sqliteSynchronous.split(",")) {
          results.addAll(SqliteSynchronousWorkload.run(dir, setting.trim(), batchEvents, singleEvents));
        }
      }
      try (JdbcEventStore store = JdbcEventStore.open(backend.url(), EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("proj_"))) {
        results.addAll(new ProjectionWorkload(backend, store, projectionEvents, 200, java.time.Duration.ofSeconds(15)).run());
      }
      if (targetsOnly) {
        results.addAll(SchedulerWorkload.run(backend.url(), schedulerJobs, SchedulerWorkload.DEFAULT_THREADS,
            SchedulerWorkload.DEFAULT_PICKUP_SAMPLES, SchedulerWorkload.DEFAULT_TIMEOUT).results(backend.prefix()));
        continue;
      }
      results.addAll(segments(backend, segmentEvents));
      try (JdbcEventStore store = JdbcEventStore.open(backend.url(), EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("snap_"))) {
        results.addAll(snapshots(backend, SnapshotWorkload.run(store)));
      }
      try (JdbcEventStore store = JdbcEventStore.open(backend.url(), EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT
          .withMigrateOnOpen(true).withTablePrefix("hot_").withMaxPoolSize(HotAggregateWorkload.DEFAULT_THREADS))) {
        results.addAll(HotAggregateWorkload.run(store, backend.prefix(), HotAggregateWorkload.DEFAULT_THREADS,
            HotAggregateWorkload.DEFAULT_COMMANDS));
      }
      if (growthEvents > 0) {
        results.addAll(GrowthWorkload.run(backend, growthEvents, 400, 2_000));
      }
      results.addAll(overhead(backend, claimJobs, overheadWarmups, overheadRounds));
      results.addAll(PersonalDataWorkload.run(backend.url(), backend.prefix(), 500, 8));
      results.add(heapProbe(backend));
      results.addAll(SchedulerWorkload.run(backend.url(), schedulerJobs, SchedulerWorkload.DEFAULT_THREADS,
          SchedulerWorkload.DEFAULT_PICKUP_SAMPLES, SchedulerWorkload.DEFAULT_TIMEOUT).results(backend.prefix()));
      if (backend.isPostgres()) {
        results.addAll(TenantDatabasesWorkload.run(backend.prefix(), stringArg(args, "--pg-url", "").isEmpty()
            ? TenantDatabasesWorkload.embeddedDatabases() : java.util.Collections.nCopies(4, backend.url()), 1_000, 1_000));
      }
    }
    print(results);
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /**
   * The cost of metrics and tracing on the append path (single appends from one thread) and on the
   * claim path (no-op jobs, {@link SchedulerWorkload#DEFAULT_THREADS} worker threads), each an A/B
   * of interleaved rounds in this run ({@link AbRounds}).
   */
  private static List<Result> overhead(Backend backend, int claimJobs, int warmups, int rounds) throws Exception {
    List<Result> out = new ArrayList<>();
    try (JdbcEventStore store = JdbcEventStore.open(backend.url(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("overhead_"))) {
      out.addAll(MetricsOverheadWorkload.run(store, backend.prefix(), 500, warmups, rounds));
    }
    out.addAll(TracingOverheadWorkload.run(backend.url(), backend.prefix(), 500, warmups, rounds));
    out.addAll(ClaimOverheadWorkload.run(backend.url(), backend.prefix(), claimJobs, SchedulerWorkload.DEFAULT_THREADS, rounds,
        ClaimOverheadWorkload.OBSERVER_CALLS, warmups));
    return out;
  }

  /** Aggregate load times: 100 and 100,000 events, with snapshots every 100 events and without. */
  private static List<Result> snapshots(Backend backend, List<SnapshotWorkload.Result> measured) {
    List<Result> out = new ArrayList<>();
    double with100 = 0;
    double with100k = 0;
    for (SnapshotWorkload.Result r : measured) {
      double ms = r.medianLoadTime().toNanos() / 1e6;
      String name = backend.prefix() + ".aggregate.load." + r.streamLength() + (r.snapshots() ? ".snapshots" : ".no_snapshots") + ".ms";
      out.add(Result.of(name, ms, "ms"));
      if (r.snapshots()) {
        if (r.streamLength() == 100) {
          with100 = ms;
        } else {
          with100k = ms;
        }
      }
    }
    out.add(Result.of(backend.prefix() + ".aggregate.load.snapshots.100000_vs_100", with100k / with100, "x"));
    return out;
  }

  /** Tops the log up to {@code total} events for the heap probe (not timed). */
  private static void fill(JdbcEventStore store, int total) {
    long have = store.headPosition();
    for (long b = 0; have < total; b++) {
      int n = (int) Math.min(1000, total - have);
      List<EventData> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        events.add(EventData.json("token-purchased", 1, FoundationWorkload.payload(have + i)));
      }
      store.append("fill-" + b, ExpectedVersion.any(), events);
      have += n;
    }
  }

  /** Reads the whole log in a child JVM limited to 256 MB of heap; reports its peak heap. */
  private static Result heapProbe(Backend backend) throws Exception {
    String classpath = classpath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, ReadProbe.class.getName(),
        backend.url(), JdbcConfig.DEFAULT_TABLE_PREFIX).redirectErrorStream(true).start();
    String output;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      output = r.lines().collect(Collectors.joining("\n"));
    }
    if (p.waitFor() != 0 || !output.contains("peak_heap_bytes=")) {
      throw new IllegalStateException("the -Xmx256m read probe failed:\n" + output);
    }
    String line = output.lines().filter(l -> l.startsWith("events=")).findFirst().orElseThrow();
    long events = Long.parseLong(line.replaceAll(".*events=(\\d+).*", "$1"));
    long peak = Long.parseLong(line.replaceAll(".*peak_heap_bytes=(\\d+).*", "$1"));
    System.out.printf("   read %,d events with -Xmx256m%n", events);
    return Result.of(backend.prefix() + ".read." + (events / 1000) + "k.peak_heap_mb", peak / 1048576.0, "MB");
  }

  private static String classpath() {
    ClassLoader loader = Benchmarks.class.getClassLoader();
    if (loader instanceof URLClassLoader urls) {
      List<String> entries = new ArrayList<>();
      for (URL url : urls.getURLs()) {
        entries.add(new File(url.getPath()).getPath());
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }

  static void print(List<Result> results) {
    System.out.println();
    System.out.printf("%-44s %14s %14s %8s %14s %8s%n", "workload", "fabula", "raw JDBC", "ratio", "simple raw", "ratio");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-44s %14.1f %14s %8s %14s %8s  %s%n", r.name(), r.value(),
          r.hasRaw() ? String.format(Locale.ROOT, "%.1f", r.raw()) : "-",
          r.hasRaw() ? String.format(Locale.ROOT, "%.2f", r.ratio()) : "-",
          r.hasSimpleRaw() ? String.format(Locale.ROOT, "%.1f", r.simpleRaw()) : "-",
          r.hasSimpleRaw() ? String.format(Locale.ROOT, "%.2f", r.simpleRatio()) : "-", r.unit());
    }
    System.out.println();
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "RESULT %s %.1f %s%n", r.name(), r.value(), r.unit());
      if (r.hasRaw()) {
        System.out.printf(Locale.ROOT, "RESULT %s.vs_raw %.2f x%n", r.name(), r.ratio());
      }
      if (r.hasSimpleRaw()) {
        System.out.printf(Locale.ROOT, "RESULT %s.vs_simple_raw %.2f x%n", r.name(), r.simpleRatio());
      }
    }
  }

  /** Projection catch-up with 1, 2 and 4 segments ({@link SegmentsWorkload}), on tables of its own. */
  private static List<Result> segments(Backend backend, int events) {
    try (JdbcEventStore store = JdbcEventStore.open(backend.url(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("seg_"))) {
      return SegmentsWorkload.run(backend, store, events);
    }
  }

  private static int intArg(String[] args, String name, int fallback) {
    String v = stringArg(args, name, "");
    return v.isEmpty() ? fallback : Integer.parseInt(v.replace("_", ""));
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
