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
 * @param byQueueAndType the same counts and oldest due job per queue and job type, for each pair
 *     that has jobs (in any state), ordered by queue then type
 */
public record SchedulerStats(
    Map<JobState, Long> counts,
    Duration oldestDueAge,
    long succeededLastMinute,
    long failedLastMinute,
    boolean killSwitchOn,
    Set<String> pausedQueues,
    List<ConcurrencyLimit> limits,
    List<String> liveWorkers,
    List<TypeStats> byQueueAndType) {

  /** Copies the collections. */
  public SchedulerStats {
    counts = Map.copyOf(counts);
    pausedQueues = Set.copyOf(pausedQueues);
    limits = List.copyOf(limits);
    liveWorkers = List.copyOf(liveWorkers);
    byQueueAndType = List.copyOf(byQueueAndType);
  }

  /** The statistics without figures per queue and type. */
  public SchedulerStats(
      Map<JobState, Long> counts,
      Duration oldestDueAge,
      long succeededLastMinute,
      long failedLastMinute,
      boolean killSwitchOn,
      Set<String> pausedQueues,
      List<ConcurrencyLimit> limits,
      List<String> liveWorkers) {
    this(counts, oldestDueAge, succeededLastMinute, failedLastMinute, killSwitchOn, pausedQueues, limits, liveWorkers,
        List.of());
  }

  /** Jobs in {@code state}. */
  public long count(JobState state) {
    return counts.getOrDefault(state, 0L);
  }

  /**
   * Running jobs in the scope of {@code limit}: every running job, its queue's, or its job type's;
   * with {@link ConcurrencyLimit#maxRunning()}, how full the limit is.
   */
  public long running(ConcurrencyLimit limit) {
    return byQueueAndType.stream()
        .filter(t -> switch (limit.scope()) {
          case OVERALL -> true;
          case QUEUE -> t.queue().equals(limit.name());
          case JOB_TYPE -> t.type().equals(limit.name());
        })
        .mapToLong(t -> t.count(JobState.RUNNING))
        .sum();
  }

  /**
   * The jobs of one queue and job type.
   *
   * @param queue the queue
   * @param type the job type
   * @param counts jobs per state (every state present, 0 included)
   * @param oldestDueAge how long its oldest due pending job has waited (zero when none)
   */
  public record TypeStats(String queue, String type, Map<JobState, Long> counts, Duration oldestDueAge) {
    /** Copies the counts. */
    public TypeStats {
      counts = Map.copyOf(counts);
    }

    /** Jobs in {@code state}. */
    public long count(JobState state) {
      return counts.getOrDefault(state, 0L);
    }
  }
}
