package dev.fabula.scheduler;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.time.Duration;

/**
 * A worker process for the multi-process tests: opens the store, registers one handler and runs
 * a pool until killed.
 *
 * <p>Arguments: jdbc-url table-prefix mode threads. Modes: {@code slow} runs "slow" jobs for 100
 * ms each; {@code probe} runs "limited" jobs that count themselves in the probe table.
 */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String prefix = args[1];
    String mode = args[2];
    int threads = Integer.parseInt(args[3]);
    JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withTablePrefix(prefix));
    JobQueue queue = JobQueue.create(store, SchedulerConfig.DEFAULT
        .withPollInterval(Duration.ofMillis(50))
        .withLease(Duration.ofSeconds(2), Duration.ofMillis(500))
        .withMaintenanceInterval(Duration.ofMillis(200))
        .withWorkerName("child-" + mode));
    switch (mode) {
      case "slow" -> queue.register("slow", ctx -> {
        Thread.sleep(100);
        return JobResult.success();
      });
      case "probe" -> queue.register("limited", ctx -> {
        Probe.enter(store);
        try {
          Thread.sleep(30);
        } finally {
          Probe.leave(store);
        }
        return JobResult.success();
      });
      default -> throw new IllegalArgumentException(mode);
    }
    queue.newWorkerPool(threads).start();
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
