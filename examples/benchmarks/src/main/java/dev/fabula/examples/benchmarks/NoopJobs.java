package dev.fabula.examples.benchmarks;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the job workloads share ({@link SchedulerWorkload}, {@link RawJobLoops}, {@link
 * ClaimOverheadWorkload}): fresh table prefixes, so that runs do not disturb each other, and no-op
 * jobs enqueued in batches.
 */
final class NoopJobs {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private NoopJobs() {}

  /**
   * A throughput phase: its rate, the distinct jobs run, and the jobs the table shows succeeded.
   *
   * @param jobsPerSecond the rate
   * @param jobsRun distinct jobs run (each once)
   * @param jobsSucceeded jobs recorded as succeeded
   */
  record Throughput(double jobsPerSecond, int jobsRun, long jobsSucceeded) {}

  /** A table prefix no other phase of this process uses, nor (most likely) another run's. */
  static String tablePrefix() {
    return "bench" + ProcessHandle.current().pid() % 10_000 + "_" + RUNS.incrementAndGet() + "_";
  }

  /** Enqueues {@code jobs} jobs of type {@code noop} on the default queue, 1,000 per transaction. */
  static void enqueue(JdbcEventStore store, JobQueue queue, int jobs) {
    for (int done = 0; done < jobs; done += 1000) {
      int n = Math.min(1000, jobs - done);
      store.inTransaction(tx -> {
        for (int i = 0; i < n; i++) {
          queue.enqueue(tx, JobRequest.of("noop"));
        }
        return null;
      });
    }
  }
}
