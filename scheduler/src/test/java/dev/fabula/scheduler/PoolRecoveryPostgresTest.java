package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.postgres.OwnedPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The PostgreSQL server crashes ({@code pg_ctl stop -m immediate}) and restarts on the same data
 * directory while a worker pool runs jobs that a thread enqueues before, during and after each
 * crash. The same pool, never restarted, goes on: every job ends SUCCEEDED, none is lost, each
 * ran at least once and a second run only for a job whose first run began around a crash; and a
 * job enqueued by another process afterwards is picked up within {@link #PROMPT}, far under the
 * poll interval of ten minutes, so the pool's LISTEN connection is back. The soak variant crashes
 * ten times ({@code -Psoak}).
 */
@EnabledIf("dev.fabula.testkit.postgres.OwnedPostgres#canRunHere")
@Timeout(300)
class PoolRecoveryPostgresTest {
  private static final Duration PROMPT = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** How long the server stays down at the last crash: an operator taking a while. */
  private static final Duration DOWNTIME = Duration.ofSeconds(8);
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static OwnedPostgres pg;

  @BeforeAll
  static void start() {
    pg = OwnedPostgres.start();
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  /** A crash: from just before the server went down until it accepted connections again. */
  private record Outage(long from, long to) {
    /** Whether a run that began at {@code nanos} may have been cut off by this crash (or its write lost). */
    boolean explains(long nanos) {
      return nanos - (from - Duration.ofSeconds(5).toNanos()) >= 0 && to - nanos >= 0;
    }
  }

  @Test
  void the_same_pool_recovers_from_two_server_crashes() throws Exception {
    crashAndRecover(2);
  }

  @Test
  @Tag("soak")
  void the_same_pool_recovers_from_ten_server_crashes() throws Exception {
    crashAndRecover(10);
  }

  private void crashAndRecover(int crashes) throws Exception {
    String prefix = "prec" + TESTS.incrementAndGet() + "_";
    JobQueueConfig config = JobQueueConfig.DEFAULT
        .withPollInterval(Duration.ofMinutes(10))
        .withLease(Duration.ofSeconds(5), Duration.ofSeconds(1))
        .withMaintenanceInterval(Duration.ofSeconds(1))
        .withShutdownTimeout(Duration.ofSeconds(5));
    Map<String, List<Long>> runs = new ConcurrentHashMap<>();
    Map<String, Long> ids = new ConcurrentHashMap<>();
    List<Outage> outages = new CopyOnWriteArrayList<>();
    try (JdbcEventStore store = open(prefix, true);
        JdbcEventStore other = open(prefix, false)) {
      JobQueue queue = JobQueue.open(store, config);
      queue.register("work", ctx -> {
        runs.computeIfAbsent(ctx.payload(), p -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
        ids.put(ctx.payload(), ctx.jobId());
        return JobResult.success();
      });
      JobQueue elsewhere = JobQueue.open(other, config); // another process: enqueues, runs nothing
      try (WorkerPool pool = queue.newWorkerPool(4).start()) {
        Enqueuer enqueuer = new Enqueuer(queue);
        for (int i = 0; i < crashes; i++) {
          enqueuer.awaitMore(30);
          long from = System.nanoTime();
          pg.crash();
          if (i == crashes - 1) {
            Thread.sleep(DOWNTIME.toMillis()); // the scenario, not a synchronisation
          }
          pg.restart();
          outages.add(new Outage(from, System.nanoTime()));
          enqueuer.awaitMore(20);
        }
        enqueuer.stop();

        awaitFinished(elsewhere, other, prefix);
        for (int round = 0; round < 3; round++) {
          String payload = "{\"late\": " + round + "}";
          long enqueued = System.nanoTime();
          elsewhere.enqueue(JobRequest.of("work").withPayload(payload));
          Await.until("the late job " + round + " ran", PROMPT, () -> runs.containsKey(payload));
          assertThat(runs.get(payload).get(0) - enqueued).isLessThan(PROMPT.toNanos());
        }
        awaitFinished(elsewhere, other, prefix);

        assertThat(pool.failure()).as("the pool's health").isEmpty();
        SchedulerStats stats = elsewhere.stats();
        assertThat(stats.count(JobState.FAILED)).as("failed jobs").isZero();
        assertThat(stats.count(JobState.SUCCEEDED)).as("succeeded jobs").isGreaterThanOrEqualTo(enqueuer.enqueued.get() + 3);
        for (int n = 0; n < enqueuer.enqueued.get(); n++) {
          String payload = Enqueuer.payload(n);
          assertThat(runs).as("job %d ran", n).containsKey(payload);
          List<Long> times = runs.get(payload);
          if (times.size() > 1) {
            assertThat(outages).as("job %d ran %d times: its first run began around a crash; runs %s, history %s", n,
                    times.size(), times, elsewhere.history(ids.get(payload)))
                .anyMatch(o -> o.explains(times.get(0)));
          }
        }
      }
    }
  }

  /** Waits until no job is pending, running or waiting; else fails with those jobs and the pool's threads. */
  private static void awaitFinished(JobQueue queue, JdbcEventStore store, String prefix) {
    try {
      Await.until("every job finished", WAIT, () -> unfinished(queue) == 0);
    } catch (AssertionError e) {
      StringBuilder b = new StringBuilder(e.getMessage()).append("; unfinished jobs: ");
      List<Map<String, Object>> jobs = store.jdbi().withHandle(h -> h.createQuery("SELECT id, state, attempt, run_at, lease_owner, lease_until, "
          + "last_error, now() AS db_now FROM " + prefix + "jobs WHERE state IN ('pending', 'running', 'waiting') ORDER BY id")
          .mapToMap().list());
      b.append(jobs);
      Thread.getAllStackTraces().forEach((t, stack) -> {
        if (t.getName().startsWith("fabula")) {
          b.append("\n").append(t.getName()).append(' ').append(t.getState());
          for (StackTraceElement f : stack) {
            b.append("\n    at ").append(f);
          }
        }
      });
      throw new AssertionError(b.toString(), e);
    }
  }

  private static long unfinished(JobQueue queue) {
    SchedulerStats s = queue.stats();
    return s.count(JobState.PENDING) + s.count(JobState.RUNNING) + s.count(JobState.WAITING);
  }

  private static JdbcEventStore open(String prefix, boolean migrate) {
    return JdbcEventStore.open(pg.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(migrate).withTablePrefix(prefix));
  }

  /** Enqueues one job at a time, each with a unique key; a failed enqueue is sent again with the same key. */
  private static final class Enqueuer {
    final AtomicInteger enqueued = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    static String payload(int n) {
      return "{\"n\": " + n + "}";
    }

    Enqueuer(JobQueue queue) {
      thread = new Thread(() -> {
        int n = 0;
        while (running.get()) {
          JobRequest request = JobRequest.of("work").withPayload(payload(n)).withUniqueKey("job-" + n);
          while (true) {
            try {
              queue.enqueue(request);
              break;
            } catch (RuntimeException e) {
              if (!running.get()) {
                return;
              }
              // The server is down, or the enqueue's outcome is unknown: the unique key makes a retry safe.
            }
          }
          n++;
          enqueued.incrementAndGet();
          synchronized (this) {
            notifyAll();
          }
        }
      }, "recovery-enqueuer");
      thread.setDaemon(true);
      thread.start();
    }

    void awaitMore(int count) throws InterruptedException {
      int target = enqueued.get() + count;
      await(() -> enqueued.get() >= target);
    }

    private synchronized void await(BooleanSupplier condition) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for enqueues");
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(WAIT.toMillis());
      assertThat(thread.isAlive()).as("the enqueuer stopped").isFalse();
    }
  }
}
