package dev.fabula.examples.benchmarks;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

/**
 * The raw limits of {@link SchedulerWorkload}: a SKIP LOCKED loop (N threads, 10 jobs per claim
 * statement, one completion statement per batch, no history, no leases renewed, no fencing: what
 * users hand-write today), on the scheduler's own jobs table ("raw") and on the narrowest correct
 * table ("simple raw"). The raw loop's statements ({@code scheduler_raw_*.sql} next to this class)
 * know the layout of the scheduler's jobs table; the simple raw loop's ({@code
 * scheduler_simple_raw_*.sql}) create and use a table of their own. A figure is only returned if
 * every job was done exactly once. Not thread-safe; run one at a time.
 */
final class RawJobLoops {
  private RawJobLoops() {}

  static NoopJobs.Throughput rawThroughput(String url, int jobs, int threads, Duration timeout) throws Exception {
    String tables = NoopJobs.tablePrefix();
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tables))) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      NoopJobs.enqueue(store, queue, jobs);
      Statements sql = statements(url, tables);
      boolean postgres = url.startsWith("jdbc:postgresql:");
      RawLoop loop = new RawLoop(sql.get("scheduler_raw_claim"), sql.get("scheduler_raw_complete"), Map.of());
      int done = drain(store, loop, postgres, jobs, threads, timeout, "the raw loop");
      long succeeded = queue.stats().count(JobState.SUCCEEDED);
      if (succeeded != jobs) {
        throw new IllegalStateException("the raw loop completed " + done + " jobs, but the table shows " + succeeded + " succeeded");
      }
      return new NoopJobs.Throughput(jobs / loop.seconds, done, succeeded);
    }
  }

  /**
   * The simple raw limit: the same loop (10 jobs per claim, {@code FOR UPDATE SKIP LOCKED} on
   * PostgreSQL, one writer lock on SQLite) on the narrowest correct table, {@code simple_jobs}: id,
   * queue, due time, state, lease owner and until, a small payload, and one partial index on ready
   * jobs (scheduler_simple_raw_*.sql).
   */
  static NoopJobs.Throughput simpleRawThroughput(String url, int jobs, int threads, Duration timeout) throws Exception {
    String tables = NoopJobs.tablePrefix();
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tables))) {
      Statements sql = statements(url, tables);
      boolean postgres = url.startsWith("jdbc:postgresql:");
      store.jdbi().useHandle(h -> {
        h.execute(sql.get("scheduler_simple_raw_table"));
        h.execute(sql.get("scheduler_simple_raw_index"));
      });
      String insert = sql.get("scheduler_simple_raw_enqueue");
      for (int done = 0; done < jobs; done += 1000) {
        int n = Math.min(1000, jobs - done);
        store.jdbi().useTransaction(h -> {
          var batch = h.prepareBatch(insert);
          Object now = time(postgres, Instant.now().truncatedTo(ChronoUnit.MICROS));
          for (int i = 0; i < n; i++) {
            batch.bind("queue", "default").bind("now", now).bind("payload", "{}").add();
          }
          batch.execute();
        });
      }
      RawLoop loop = new RawLoop(sql.get("scheduler_simple_raw_claim"), sql.get("scheduler_simple_raw_complete"),
          Map.of("queue", "default"));
      int done = drain(store, loop, postgres, jobs, threads, timeout, "the simple raw loop");
      return new NoopJobs.Throughput(jobs / loop.seconds, done, done);
    }
  }

  private static Statements statements(String url, String tables) {
    return new Statements(RawJobLoops.class.getClassLoader(),
        "dev/fabula/examples/benchmarks/" + (url.startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite"),
        Map.of("prefix", tables, "qualified_prefix", tables));
  }

  /** A raw loop's two statements and the extra parameters of its claim; {@link #drain} sets how long it took. */
  private static final class RawLoop {
    final String claim;
    final String complete;
    final Map<String, Object> claimExtras;
    double seconds;

    RawLoop(String claim, String complete, Map<String, Object> claimExtras) {
      this.claim = claim;
      this.complete = complete;
      this.claimExtras = claimExtras;
    }
  }

  /**
   * Runs {@code loop} on {@code threads} threads until no job is left: claim 10 in a transaction,
   * complete them in another. Returns the distinct jobs done; fails if a job was done twice or not
   * all {@code jobs} were.
   */
  private static int drain(JdbcEventStore store, RawLoop loop, boolean postgres, int jobs, int threads, Duration timeout,
                           String what) throws Exception {
    // SQLite has one writer at a time: the raw loop's threads queue on a lock of their own, as ours do.
    Lock lock = postgres ? new NoLock() : new java.util.concurrent.locks.ReentrantLock(true);
    Set<Long> done = ConcurrentHashMap.newKeySet();
    AtomicInteger again = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String owner = "raw-" + t;
        loops.add(pool.submit(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            lock.lock();
            List<Long> ids;
            try {
              ids = store.jdbi().inTransaction(h -> h.createQuery(loop.claim)
                  .bindMap(loop.claimExtras)
                  .bind("now", time(postgres, now))
                  .bind("lease_until", time(postgres, now.plusSeconds(30)))
                  .bind("owner", owner)
                  .bind("limit", 10)
                  .mapTo(Long.class)
                  .list());
            } finally {
              lock.unlock();
            }
            if (ids.isEmpty()) {
              return null;
            }
            lock.lock();
            try {
              store.jdbi().useTransaction(h -> {
                var update = h.createUpdate(loop.complete).bind("ids", ids.toString());
                if (loop.complete.contains(":owner")) { // the simple loop's completion is fenced by owner; the other stamps a time
                  update.bind("owner", owner);
                } else {
                  update.bind("now", time(postgres, Instant.now().truncatedTo(ChronoUnit.MICROS)));
                }
                update.execute();
              });
            } finally {
              lock.unlock();
            }
            for (long id : ids) {
              if (!done.add(id)) {
                again.incrementAndGet();
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : loops) {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " did not drain " + jobs + " jobs within " + timeout + " ("
          + done.size() + " done)", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    loop.seconds = (System.nanoTime() - start) / 1e9;
    if (done.size() != jobs || again.get() != 0) {
      throw new IllegalStateException(String.format(Locale.ROOT, "%s completed %d distinct jobs of %d, %d twice", what,
          done.size(), jobs, again.get()));
    }
    return done.size();
  }


  /** A time as the raw loop binds it: timestamptz on PostgreSQL, microseconds since the epoch on SQLite. */
  private static Object time(boolean postgres, Instant instant) {
    return postgres ? java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC)
        : ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  /** No lock: PostgreSQL runs the raw loop's transactions in parallel. */
  private static final class NoLock implements Lock {
    @Override public void lock() {}
    @Override public void lockInterruptibly() {}
    @Override public boolean tryLock() { return true; }
    @Override public boolean tryLock(long time, TimeUnit unit) { return true; }
    @Override public void unlock() {}
    @Override public java.util.concurrent.locks.Condition newCondition() { throw new UnsupportedOperationException(); }
  }
}
