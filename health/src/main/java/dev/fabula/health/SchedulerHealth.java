package dev.fabula.health;

import dev.fabula.InvalidInputException;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.SchedulerStats;
import dev.fabula.scheduler.WorkerPool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The scheduler's health.
 *
 * <ul>
 *   <li>{@link #pool} (liveness): a worker pool's own threads are alive. A pool whose dispatcher or
 *       outcome writer died of a fatal error ({@link WorkerPool#failure()}) claims nothing more:
 *       {@link Status#DOWN}, with the failure; restart the process (or close the pool and start a
 *       new one). Reads no database.
 *   <li>{@link #of} (attention): more failed jobs than {@link HealthConfig#maxFailedJobs()} is
 *       {@link Status#DEGRADED} ({@code jobs.failed}); the kill switch on is {@link
 *       Status#DISABLED} ({@code jobs.processing}): processing was stopped on purpose.
 * </ul>
 *
 * A pool this process does not run on purpose is reported with {@link
 * HealthIndicator#disabled(String, HealthCheck.Kind, String) HealthIndicator.disabled("pool:emails",
 * LIVENESS, "workers off in this service")}, never {@link Status#DOWN}. Needs {@code
 * fabula-scheduler} on the class path. Thread-safe.
 */
public final class SchedulerHealth {
  private SchedulerHealth() {}

  /** The liveness of {@code pool}, named {@code pool:<name>}. */
  public static HealthIndicator pool(String name, WorkerPool pool) {
    if (name == null || name.isBlank() || pool == null) {
      throw new InvalidInputException("a pool's health needs a name and the pool");
    }
    String checkName = "pool:" + name;
    return new HealthIndicator() {
      @Override
      public String name() {
        return checkName;
      }

      @Override
      public HealthCheck.Kind kind() {
        return HealthCheck.Kind.LIVENESS;
      }

      @Override
      public List<HealthCheck> check() {
        Map<String, String> details = Map.of("workerId", pool.workerId(), "threads", Integer.toString(pool.threads()),
            "runningJobs", Integer.toString(pool.runningJobs()));
        return List.of(pool.failure()
            .map(f -> new HealthCheck(checkName, kind(), Status.DOWN,
                "its threads died: " + f + "; it claims nothing more, restart the process", details))
            .orElseGet(() -> new HealthCheck(checkName, kind(), Status.UP, "its threads are alive", details)));
      }
    };
  }

  /** The queue's failed jobs and kill switch, named {@code jobs}. */
  public static HealthIndicator of(JobQueue queue, HealthConfig config) {
    if (queue == null || config == null) {
      throw new InvalidInputException("queue and config must not be null; use HealthConfig.DEFAULT");
    }
    return new HealthIndicator() {
      @Override
      public String name() {
        return "jobs";
      }

      @Override
      public HealthCheck.Kind kind() {
        return HealthCheck.Kind.ATTENTION;
      }

      @Override
      public List<HealthCheck> check() {
        SchedulerStats stats = queue.stats();
        long failed = stats.count(JobState.FAILED);
        boolean over = failed > config.maxFailedJobs();
        HealthCheck failedCheck = new HealthCheck("jobs.failed", kind(), over ? Status.DEGRADED : Status.UP,
            over
                ? failed + " failed jobs, more than " + config.maxFailedJobs()
                    + " (HealthConfig.maxFailedJobs); retry or cancel them (JobQueue.retry, cancel)"
                : failed + " failed jobs",
            Map.of("failed", Long.toString(failed), "maxFailedJobs", Long.toString(config.maxFailedJobs())));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("pending", Long.toString(stats.count(JobState.PENDING)));
        details.put("running", Long.toString(stats.count(JobState.RUNNING)));
        details.put("pausedQueues", String.join(",", new TreeSet<>(stats.pausedQueues())));
        details.put("liveWorkers", Integer.toString(stats.liveWorkers().size()));
        HealthCheck processing = stats.killSwitchOn()
            ? new HealthCheck("jobs.processing", kind(), Status.DISABLED,
                "the kill switch is on: no job runs until it is turned off", details)
            : new HealthCheck("jobs.processing", kind(), Status.UP,
                stats.pausedQueues().isEmpty() ? "processing" : "processing; paused queues: " + details.get("pausedQueues"),
                details);
        return List.of(failedCheck, processing);
      }
    };
  }
}
