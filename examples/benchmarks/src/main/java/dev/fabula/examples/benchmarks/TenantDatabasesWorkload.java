package dev.fabula.examples.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.TenantDatabases;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tenants spread over 1, 2 and 4 PostgreSQL databases of one server ({@link TenantDatabases}): the
 * append rate of {@value #TENANTS} tenants appending single events on a thread each, and the claim
 * rate of no-op jobs enqueued by every tenant and drained by {@value #WORKERS} worker threads in
 * all (spread evenly over one pool per database). Each figure is also printed per core of this
 * machine, and as a ratio to the one-database figure of the same run ({@code .vs_db1}). Given the
 * same URL four times (a server of {@code --pg-url}), four stores with their own table prefixes in
 * one database stand in for the databases.
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java \
 *   -Dexec.mainClass=dev.fabula.examples.benchmarks.TenantDatabasesWorkload
 * </pre>
 */
public final class TenantDatabasesWorkload {
  static final int TENANTS = 8;
  static final int WORKERS = 8;

  private TenantDatabasesWorkload() {}

  /** Runs the workload with {@code databases.get(i)} as the i-th database (at least four URLs). */
  static List<Result> run(String prefix, List<String> databases, int appendsPerTenant, int jobsPerTenant) throws Exception {
    List<Result> out = new ArrayList<>();
    int cores = Runtime.getRuntime().availableProcessors();
    double[] base = new double[2];
    for (int n : new int[] {1, 2, 4}) {
      Map<String, JdbcEventStore> stores = new LinkedHashMap<>();
      String tables = NoopJobs.tablePrefix();
      for (int i = 0; i < n; i++) {
        stores.put("db" + i, JdbcEventStore.open(databases.get(i), EventStoreConfig.DEFAULT,
            JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tables + "d" + i + "_").withMaxPoolSize(Math.max(4, 2 * TENANTS / n + 2))));
      }
      try (TenantDatabases store = TenantDatabases.open(stores, "db0")) {
        for (int t = 0; t < TENANTS; t++) {
          store.place("tenant-" + t, "db" + (t % n));
        }
        double appends = appendRate(store, appendsPerTenant);
        double claims = claimRate(store, n, jobsPerTenant);
        if (n == 1) {
          base[0] = appends;
          base[1] = claims;
        }
        String name = prefix + ".tenants.db" + n;
        out.add(Result.of(name + ".append.events_per_s", appends, "events/s"));
        out.add(Result.of(name + ".append.events_per_s_per_core", appends / cores, "events/s"));
        out.add(Result.of(name + ".append.vs_db1", appends / base[0], "x"));
        out.add(Result.of(name + ".claim.jobs_per_s", claims, "jobs/s"));
        out.add(Result.of(name + ".claim.jobs_per_s_per_core", claims / cores, "jobs/s"));
        out.add(Result.of(name + ".claim.vs_db1", claims / base[1], "x"));
      }
    }
    return out;
  }

  /** Every tenant appends {@code perTenant} single events on a thread of its own; events/s in all. */
  private static double appendRate(TenantDatabases store, int perTenant) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < TENANTS; t++) {
      EventStore tenant = store.forTenant("tenant-" + t);
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perTenant; i++) {
            tenant.append("stream-" + (i % 16), ExpectedVersion.any(),
                List.of(EventData.json("Appended", 1, JsonNodeFactory.instance.objectNode().put("i", i))));
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "tenant-appender-" + t);
      thread.start();
      threads.add(thread);
    }
    long began = System.nanoTime();
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long took = System.nanoTime() - began;
    if (failure.get() != null) {
      throw new IllegalStateException("an appender failed", failure.get());
    }
    return TENANTS * (double) perTenant / (took / 1e9);
  }

  /**
   * Every tenant enqueues {@code perTenant} no-op jobs in its database's queue (not timed); then
   * one pool per database, {@value #WORKERS} threads in all, drains them: jobs/s in all.
   */
  private static double claimRate(TenantDatabases store, int databases, int perTenant) throws Exception {
    Map<String, JobQueue> queues = new LinkedHashMap<>();
    CountDownLatch done = new CountDownLatch(TENANTS * perTenant);
    for (var db : store.databases().entrySet()) {
      JobQueue queue = JobQueue.open(db.getValue(), JobQueueConfig.DEFAULT);
      queue.register("noop", ctx -> {
        done.countDown();
        return JobResult.success();
      });
      queues.put(db.getKey(), queue);
    }
    for (int t = 0; t < TENANTS; t++) {
      String tenant = "tenant-" + t;
      JobQueue queue = queues.get(store.databaseOf(tenant));
      for (int enqueued = 0; enqueued < perTenant; enqueued += 500) {
        int batch = Math.min(500, perTenant - enqueued);
        store.forTenant(tenant).inTransaction(tx -> {
          for (int i = 0; i < batch; i++) {
            queue.enqueue(tx, JobRequest.of("noop"));
          }
          return null;
        });
      }
    }
    List<WorkerPool> pools = new ArrayList<>();
    long began = System.nanoTime();
    for (JobQueue queue : queues.values()) {
      pools.add(queue.newWorkerPool(WORKERS / databases).start());
    }
    boolean finished = done.await(10, TimeUnit.MINUTES);
    long took = System.nanoTime() - began;
    pools.forEach(WorkerPool::close);
    if (!finished) {
      throw new IllegalStateException(done.getCount() + " jobs were not run within 10 minutes");
    }
    return TENANTS * (double) perTenant / (took / 1e9);
  }

  /** Four new databases of the embedded durable server. */
  static List<String> embeddedDatabases() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      PostgresDatabase db = PostgresServer.durable().createDatabase();
      urls.add(db.jdbcUrlWithCredentials());
    }
    return urls;
  }

  /** Runs the workload alone on four databases of the embedded durable server and prints the figures. */
  public static void main(String[] args) throws Exception {
    PostgresServer server = PostgresServer.durable();
    List<String> urls = embeddedDatabases();
    System.out.println("== pg: PostgreSQL (" + server.description() + "), settings " + server.settings()
        + "; figures from a busy machine unless it was quiet");
    Benchmarks.print(run("pg", urls, 1_000, 1_000));
  }
}
