package dev.fabula.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queue at a glance, across every process sharing the database.
 *
 * @param counts jobs per state (every state present, 0 included)
 * @param oldestDueAge how long the oldest due pending job has waited (zero when none)
 * @param succeededLastMinute attempts that succeeded in the last minute (throughput)
 * @param failedLastMinute attempts that failed in the last minute
 * @param killSwitchOn whether all processing is paused
 * @param pausedQueues the paused queues
 * @param limits the concurrency limits
 * @param liveWorkers the worker pools that sent a heartbeat recently
 */
public record SchedulerStats(
    Map<JobState, Long> counts,
    Duration oldestDueAge,
    long succeededLastMinute,
    long failedLastMinute,
    boolean killSwitchOn,
    Set<String> pausedQueues,
    List<ConcurrencyLimit> limits,
    List<String> liveWorkers) {

  /** Jobs in {@code state}. */
  public long count(JobState state) {
    return counts.getOrDefault(state, 0L);
  }
}
