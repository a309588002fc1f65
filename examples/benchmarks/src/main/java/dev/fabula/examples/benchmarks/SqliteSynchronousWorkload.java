package dev.fabula.examples.benchmarks;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * SQLite appends at a chosen {@code synchronous} setting (the library's default is {@code FULL};
 * {@code jdbc:sqlite:app.db?synchronous=NORMAL} chooses {@code NORMAL}, see docs/sqlite.md): batches
 * of 100 events from one thread, single-event appends from 1 and 8 threads, each next to the
 * <em>simple</em> raw table at the same setting, in a file of its own: an identity position
 * ({@code INTEGER PRIMARY KEY}, no {@code AUTOINCREMENT}), no event-id index, unique (stream id,
 * version), the same columns as the foundation workload's raw table. Figures:
 * {@code sqlite.<setting>.append.batch100.events_per_s}, {@code .single.t1}, {@code .single.t8},
 * each with its raw limit, and for each {@code .cpu_us_per_event}: this process's CPU time per
 * event against the raw loop's (a cost factor, lower is better; a busy machine moves it far less
 * than the rates). Runs inside the benchmark app ({@link Benchmarks}), or alone:
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java \
 *     -Dexec.mainClass=dev.fabula.examples.benchmarks.SqliteSynchronousWorkload -Dexec.args="/tmp NORMAL"
 * </pre>
 */
public final class SqliteSynchronousWorkload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String synchronous;
  private final String url;
  private final int batchEvents;
  private final int singleEvents;

  private SqliteSynchronousWorkload(Path dir, String synchronous, int batchEvents, int singleEvents) {
    this.synchronous = synchronous.toUpperCase(Locale.ROOT);
    this.url = "jdbc:sqlite:" + dir.resolve("sync-" + this.synchronous.toLowerCase(Locale.ROOT) + ".db");
    this.batchEvents = batchEvents;
    this.singleEvents = singleEvents;
  }

  /** Runs alone: {@code <folder> [NORMAL|FULL] [batch events] [single events]}; prints the figures. */
  public static void main(String[] args) throws Exception {
    List<Result> results = run(Path.of(args[0]), args.length > 1 ? args[1] : "NORMAL",
        args.length > 2 ? Integer.parseInt(args[2]) : 100_000, args.length > 3 ? Integer.parseInt(args[3]) : 4_000);
    Benchmarks.print(results);
  }

  /** Measures the appends at {@code synchronous} in a new file in {@code dir}, then deletes it. */
  static List<Result> run(Path dir, String synchronous, int batchEvents, int singleEvents) throws Exception {
    return new SqliteSynchronousWorkload(dir, synchronous, batchEvents, singleEvents).run();
  }

  private List<Result> run() throws Exception {
    String p = "sqlite." + synchronous.toLowerCase(Locale.ROOT) + ".append";
    List<Result> results = new ArrayList<>();
    try (JdbcEventStore store = JdbcEventStore.open(url + "?synchronous=" + synchronous, EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withMaxPoolSize(16))) {
      createRawTable();
      // Warm-up, untimed.
      rawBatches(batchEvents / 10, "warmrawbatch");
      batches(store, batchEvents / 10, "warmbatch");
      rawSingles(8, singleEvents / 10, "warmrawsingle");
      singles(store, 8, singleEvents / 10, "warmsingle");

      Cpu raw = Cpu.measure(batchEvents, () -> rawBatches(batchEvents, "rawbatch"));
      Cpu ours = Cpu.measure(batchEvents, () -> batches(store, batchEvents, "batch"));
      add(results, p + ".batch100", ours, raw);
      for (int threads : new int[] {1, 8}) {
        Cpu rawSingle = Cpu.measure(singleEvents, () -> rawSingles(threads, singleEvents, "rawsingle" + threads));
        Cpu oursSingle = Cpu.measure(singleEvents, () -> singles(store, threads, singleEvents, "single" + threads));
        add(results, p + ".single.t" + threads, oursSingle, rawSingle);
      }
    } finally {
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        java.nio.file.Files.deleteIfExists(Path.of(url.substring("jdbc:sqlite:".length()) + suffix));
      }
    }
    return results;
  }

  /**
   * The rate and this process's CPU time per event (all threads: the appenders, SQLite's native
   * work in them, the JIT and GC), which a busy machine inflates far less than wall time.
   */
  private record Cpu(double eventsPerSecond, double cpuMicrosPerEvent) {
    interface Run {
      double run() throws Exception;
    }

    static Cpu measure(long events, Run run) throws Exception {
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu = os.getProcessCpuTime();
      double rate = run.run();
      return new Cpu(rate, (os.getProcessCpuTime() - cpu) / 1e3 / events);
    }
  }

  /** The rate against the raw rate, and the CPU per event against the raw loop's (a cost factor). */
  private static void add(List<Result> results, String name, Cpu ours, Cpu raw) {
    results.add(Result.vsRaw(name + ".events_per_s", ours.eventsPerSecond(), raw.eventsPerSecond(), "events/s"));
    results.add(Result.vsRaw(name + ".cpu_us_per_event", ours.cpuMicrosPerEvent(), raw.cpuMicrosPerEvent(), "us"));
  }

  private double batches(JdbcEventStore store, int count, String streamPrefix) {
    long start = System.nanoTime();
    for (int b = 0; b < count / 100; b++) {
      List<EventData> events = new ArrayList<>(100);
      for (int i = 0; i < 100; i++) {
        events.add(EventData.json("token-purchased", 1, FoundationWorkload.payload(b * 100L + i)));
      }
      store.append(streamPrefix + "-" + b, ExpectedVersion.noStream(), events);
    }
    return FoundationWorkload.perSecond(count / 100 * 100L, start);
  }

  private double singles(JdbcEventStore store, int threads, int count, String streamPrefix) throws Exception {
    int perThread = count / threads;
    return FoundationWorkload.concurrently(threads, t -> {
      String stream = streamPrefix + "-" + t;
      for (int i = 0; i < perThread; i++) {
        store.append(stream, ExpectedVersion.exactly(i),
            List.of(EventData.json("reading-recorded", 1, FoundationWorkload.payload(i))));
      }
    }, (long) perThread * threads);
  }

  // ---- the simple raw table -------------------------------------------------------------------

  private Connection connect() throws Exception {
    Properties p = new Properties();
    p.setProperty("journal_mode", "WAL");
    p.setProperty("synchronous", synchronous);
    p.setProperty("busy_timeout", "10000");
    p.setProperty("transaction_mode", "IMMEDIATE");
    return DriverManager.getConnection(url, p);
  }

  private void createRawTable() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS simple_events");
      s.execute("CREATE TABLE simple_events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
          + "stream_version INTEGER NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL, "
          + "payload TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at INTEGER NOT NULL, "
          + "UNIQUE (stream_id, stream_version))");
    }
  }

  private static final String INSERT = "INSERT INTO simple_events (stream_id, stream_version, event_id, event_type, "
      + "payload, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

  private static void bindRow(PreparedStatement ps, String stream, long version, long i) throws Exception {
    ps.setString(1, stream);
    ps.setLong(2, version);
    ps.setString(3, UUID.randomUUID().toString());
    ps.setString(4, "token-purchased");
    ps.setString(5, JSON.writeValueAsString(FoundationWorkload.payload(i)));
    ps.setString(6, "{}");
    ps.setLong(7, System.currentTimeMillis() * 1000);
  }

  private double rawBatches(int count, String streamPrefix) throws Exception {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(INSERT)) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      for (int b = 0; b < count / 100; b++) {
        for (int i = 0; i < 100; i++) {
          bindRow(ps, streamPrefix + "-" + b, i + 1, b * 100L + i);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      }
      return FoundationWorkload.perSecond(count / 100 * 100L, start);
    }
  }

  private double rawSingles(int threads, int count, String streamPrefix) throws Exception {
    int perThread = count / threads;
    return FoundationWorkload.concurrently(threads, t -> {
      try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(INSERT)) {
        c.setAutoCommit(false);
        for (int i = 0; i < perThread; i++) {
          bindRow(ps, streamPrefix + "-" + t, i + 1, i);
          ps.executeUpdate();
          c.commit();
        }
      }
    }, (long) perThread * threads);
  }
}
