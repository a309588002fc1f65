package dev.fabula.scheduler;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.time.Duration;
import java.util.Set;

/**
 * A worker process for the multi-process tests: opens the store, registers its handlers and runs
 * a pool until killed.
 *
 * <p>Arguments: jdbc-url table-prefix mode threads [queue]. Modes: {@code slow} runs "slow" jobs
 * for 100 ms each, or until killed if their payload says "hold"; {@code probe} serves only the queue named by the fifth argument, runs "limited"
 * jobs that count themselves in the {@link Probe} (under the queue's name) and wait at its gate,
 * and runs "tick" jobs, which do nothing: a tick that ran shows that the process claimed after the
 * tick was enqueued.
 */
public final class WorkerMain {
  /** How long a probe job waits at a closed gate before it fails; the test's own waits are shorter. */
  static final Duration GATE_TIMEOUT = Duration.ofSeconds(120);

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String prefix = args[1];
    String mode = args[2];
    int threads = Integer.parseInt(args[3]);
    String name = args.length > 4 ? args[4] : null;
    JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix));
    // Short leases where a test rescues a killed worker's jobs ("slow"); long ones where a starved
    // process must not lose the jobs it holds at the gate ("probe").
    Duration lease = mode.equals("probe") ? Duration.ofSeconds(60) : Duration.ofSeconds(2);
    JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT
        .withPollInterval(Duration.ofMillis(50))
        .withLease(lease, Duration.ofMillis(500))
        .withMaintenanceInterval(Duration.ofMillis(200))
        .withWorkerName(name == null ? "child-" + mode : "child-" + mode + "-" + name));
    WorkerPool pool;
    switch (mode) {
      case "slow" -> {
        queue.register("slow", ctx -> {
          // A job marked "hold" outlasts the test's SIGKILL (bounded, should the kill never come).
          Thread.sleep(ctx.payload().contains("hold") ? 120_000 : 100);
          return JobResult.success();
        });
        pool = queue.newWorkerPool(threads);
      }
      case "probe" -> {
        queue.register("limited", ctx -> {
          Probe.enter(store, ctx.jobId(), name);
          try {
            Probe.awaitGate(store, GATE_TIMEOUT);
            Thread.sleep(20); // the work: long enough for running jobs to overlap once the gate is open
          } finally {
            Probe.leave(store, ctx.jobId());
          }
          return JobResult.success();
        });
        queue.register("tick", ctx -> JobResult.success());
        pool = queue.newWorkerPool(threads, Set.of(name));
      }
      default -> throw new IllegalArgumentException(mode);
    }
    pool.start();
    System.out.println("started");
    System.out.flush();
    // Until killed, and no longer than the test JVM that started it: an orphan would run on.
    ProcessHandle.current().parent().orElseThrow().onExit().join();
    System.exit(0);
  }
}
