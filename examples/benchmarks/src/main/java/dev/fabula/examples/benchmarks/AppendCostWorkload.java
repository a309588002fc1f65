package dev.fabula.examples.benchmarks;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a single-event append's time goes on PostgreSQL, in CPU time rather than wall time, so the
 * figures hold on a busy machine: for N threads (the full run uses 1 and 8) each appending one
 * event per transaction, the appending thread's CPU (at one thread), the whole client process's CPU
 * (the store's background threads included) and the server's CPU (every {@code postgres}
 * process's user and system time, read from {@code /proc}; the embedded server runs on this
 * machine), per append, for the store and for the simplest correct raw table and loop.
 *
 * <pre>
 * RESULT pg.append_cost.t1.ours.client_thread_us 120.0 us
 * RESULT pg.append_cost.t1.ours.server_us 150.0 us
 * </pre>
 *
 * Server CPU is read only where {@code /proc} shows the server's processes (Linux, a local server);
 * elsewhere its lines are left out.
 */
public final class AppendCostWorkload {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ 100 on Linux

  private AppendCostWorkload() {}

  /** Runs the probe alone on an embedded durable server: {@code [appends=3000] [rounds=3] [threads=1]}. */
  public static void main(String[] args) throws Exception {
    int appends = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    dev.fabula.testkit.postgres.PostgresServer server = dev.fabula.testkit.postgres.PostgresServer.durable();
    Backend backend = new Backend("pg", server.createDatabase().jdbcUrlWithCredentials(), "durable embedded server");
    try (JdbcEventStore store = JdbcEventStore.open(backend.url(), dev.fabula.EventStoreConfig.DEFAULT,
        dev.fabula.jdbc.JdbcConfig.DEFAULT.withMigrateOnOpen(true).withMaxPoolSize(Math.max(10, threads + 2)))) {
      for (int r = 0; r < rounds; r++) {
        for (Result result : run(backend, store, store.forTenant("acme"), appends, threads)) {
          System.out.printf("RESULT %s %.1f %s%n", result.name(), result.value(), result.unit());
        }
      }
    }
    System.exit(0);
  }

  /**
   * @param threads appending threads, each to its own stream; above one, the per-thread CPU line
   *     is left out (the process's CPU covers them all)
   */
  static List<Result> run(Backend backend, JdbcEventStore store, EventStore tenant, int appends, int threads) throws Exception {
    createSimpleTable(backend);
    long postmaster = postmasterPid(backend);
    List<Result> out = new ArrayList<>();
    String p = backend.prefix() + ".append_cost.t" + threads + ".";
    // warm up both paths (JIT, server-side prepared statements, the pool)
    measure(postmaster, threads, appends / 4, (t, n) -> raw(backend, n, "warm" + t));
    measure(postmaster, threads, appends / 4, (t, n) -> ours(store, n, "warm" + t));
    // Statistics, as autovacuum would have them: run alone on a new store, the append statement's
    // cached generic plan was made on an empty events table and scans the namespace's events for
    // the id check until the first ANALYZE (docs/benchmarks.md, ninth session).
    try (Connection c = backend.connect(); Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    }
    out.addAll(commits(backend, p + "simple_raw", appends, out, () -> measure(postmaster, threads, appends, (t, n) -> raw(backend, n, "raw" + t)))
        .results(p + "simple_raw", appends));
    out.addAll(commits(backend, p + "ours", appends, out, () -> measure(postmaster, threads, appends, (t, n) -> ours(store, n, "ours" + t)))
        .results(p + "ours", appends));
    out.addAll(commits(backend, p + "tenant", appends, out, () -> measure(postmaster, threads, appends, (t, n) -> ours(tenant, n, "tenant" + t)))
        .results(p + "tenant", appends));
    return out;
  }

  /**
   * Runs {@code run} and adds the transactions committed and the WAL flushes per 100 appends in the
   * meantime (the store's background {@code NOTIFY} transactions included): how many appends share a
   * commit, and a flush. Left out where the server cannot tell ({@code pg_stat_wal.wal_sync}
   * is gone from PostgreSQL 18).
   */
  private static Cost commits(Backend backend, String name, int appends, List<Result> out, java.util.function.Supplier<Cost> run) {
    long[] before = counters(backend);
    Cost cost = run.get();
    long[] after = counters(backend);
    if (before != null && after != null) {
      out.add(Result.of(name + ".commits_per_100_appends", (after[0] - before[0]) * 100.0 / appends, "commits"));
      out.add(Result.of(name + ".wal_flushes_per_100_appends", (after[1] - before[1]) * 100.0 / appends, "flushes"));
    }
    return cost;
  }

  /** Committed transactions of this database and WAL flushes of the server, or null. */
  private static long @org.jspecify.annotations.Nullable [] counters(Backend backend) {
    try (Connection c = backend.connect(); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),"
            + " (SELECT wal_sync FROM pg_stat_wal)")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    } catch (java.sql.SQLException e) {
      return null;
    }
  }

  /** What one thread does: {@code appends} single-event appends. */
  private interface Loop {
    void run(int thread, int appends);
  }

  private static void ours(EventStore store, int appends, String stream) {
    String id = stream + "-" + System.nanoTime();
    for (int i = 0; i < appends; i++) {
      store.append(id, ExpectedVersion.exactly(i), List.of(EventData.json("reading-recorded", 1, FoundationWorkload.payload(i))));
    }
  }

  private static void raw(Backend backend, int appends, String stream) {
    String id = stream + "-" + System.nanoTime();
    try (Connection c = backend.connect();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO cost_events (stream_id, version, type, payload, metadata) VALUES (?, ?, ?, ?::jsonb, ?::jsonb)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < appends; i++) {
        ps.setString(1, id);
        ps.setLong(2, i + 1);
        ps.setString(3, "reading-recorded");
        ps.setString(4, FoundationWorkload.payload(i).toString());
        ps.setString(5, "{}");
        ps.executeUpdate();
        c.commit();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void createSimpleTable(Backend backend) throws Exception {
    try (Connection c = backend.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cost_events");
      s.execute("CREATE TABLE cost_events (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
          + "stream_id text NOT NULL, version bigint NOT NULL, type text NOT NULL, "
          + "payload jsonb NOT NULL, metadata jsonb NOT NULL, UNIQUE (stream_id, version))");
    }
  }

  /** CPU and wall time spent by one run. */
  private record Cost(long wallNanos, long threadNanos, long processNanos, long serverNanos) {
    List<Result> results(String name, int appends) {
      List<Result> out = new ArrayList<>();
      out.add(Result.of(name + ".wall_us", wallNanos / 1e3 / appends, "us"));
      if (threadNanos >= 0) {
        out.add(Result.of(name + ".client_thread_us", threadNanos / 1e3 / appends, "us"));
      }
      out.add(Result.of(name + ".client_process_us", processNanos / 1e3 / appends, "us"));
      if (serverNanos >= 0) {
        out.add(Result.of(name + ".server_us", serverNanos / 1e3 / appends, "us"));
      }
      return out;
    }
  }

  private static Cost measure(long postmaster, int threads, int appends, Loop loop) {
    long server = serverCpuNanos(postmaster);
    long process = processCpuNanos();
    long thread = THREADS.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    if (threads == 1) {
      loop.run(0, appends);
    } else {
      try {
        FoundationWorkload.concurrently(threads, t -> loop.run(t, appends / threads), appends);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    wall = System.nanoTime() - wall;
    thread = threads == 1 ? THREADS.getCurrentThreadCpuTime() - thread : -1;
    process = processCpuNanos() - process;
    long serverAfter = serverCpuNanos(postmaster);
    return new Cost(wall, thread, process, server < 0 || serverAfter < 0 ? -1 : serverAfter - server);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The server's main process: the parent of this connection's backend; -1 where /proc cannot tell. */
  private static long postmasterPid(Backend backend) throws Exception {
    try (Connection c = backend.connect(); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      String[] fields = stat(Path.of("/proc", Integer.toString(rs.getInt(1))));
      return fields == null ? -1 : Long.parseLong(fields[1]);
    }
  }

  /** The fields of /proc/PID/stat after the command name, or null. */
  private static String @org.jspecify.annotations.Nullable [] stat(Path pid) {
    try {
      String stat = Files.readString(pid.resolve("stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException gone) {
      return null;
    }
  }

  /**
   * User and system time of the server's main process and its children (its backends and
   * background workers; other servers on the machine are not counted), or -1 where /proc cannot tell.
   */
  private static long serverCpuNanos(long postmaster) {
    Path proc = Path.of("/proc");
    if (postmaster < 0) {
      return -1;
    }
    long ticks = 0;
    boolean any = false;
    try (Stream<Path> pids = Files.list(proc)) {
      for (Path pid : (Iterable<Path>) pids.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))::iterator) {
        String[] fields = stat(pid); // null: the process ended while we read it
        if (fields != null && (Long.parseLong(fields[1]) == postmaster
            || pid.getFileName().toString().equals(Long.toString(postmaster)))) {
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
          if (pid.getFileName().toString().equals(Long.toString(postmaster))) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // backends that ended
          }
          any = true;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return any ? ticks * TICK_NANOS : -1;
  }
}
