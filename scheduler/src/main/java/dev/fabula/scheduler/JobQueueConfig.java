package dev.fabula.scheduler;

import dev.fabula.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link JobQueue} and its worker pools behave. Immutable; start from {@link #DEFAULT}:
 *
 * <pre>{@code
 * JobQueueConfig config = JobQueueConfig.DEFAULT
 *     .withRetryPolicy("send-receipt", RetryPolicy.DEFAULT.withMaxAttempts(6))
 *     .withShutdownTimeout(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Every process sharing a database should use the same retry policies; leases, polling and
 * retention may differ per process.
 *
 * @param clock the application's clock, handed to job handlers as {@link JobContext#clock()}. The
 *     scheduler compares no lease, due time, retry or schedule with it: those use {@code time}
 * @param pollInterval the longest a pool waits before looking for due jobs when nothing woke it
 * @param leaseDuration how long a claim holds its job without renewal; a dead worker's jobs are
 *     retried this long after its last renewal
 * @param leaseRenewInterval how often a pool renews its leases; less than {@code leaseDuration}
 * @param shutdownTimeout how long {@link WorkerPool#close()} waits for running jobs
 * @param maintenanceInterval how often a pool rescues expired leases, repairs dependencies and
 *     prunes old rows
 * @param defaultRetryPolicy the retry policy of job types without their own
 * @param retryPolicies retry policies per job type
 * @param unknownJobTypes what a pool does with jobs of a type it has no handler for
 * @param finishedJobRetention how long succeeded and cancelled jobs stay in the jobs table
 * @param failedJobRetention how long failed jobs stay (with their history), or null for ever
 * @param historyRetention how long execution history stays
 * @param completionBatchSize the most completions written in one statement
 * @param listen whether pools on PostgreSQL LISTEN for new jobs (else they only poll)
 * @param workerName a prefix of worker ids, such as the host name; null for {@code host:pid}
 * @param time the scheduler's one notion of now, for every lease, due time, retry delay and
 *     schedule: the database's clock ({@link TimeSource#database()}, the default), or in tests a
 *     clock that replaces it ({@link TimeSource#of})
 */
public record JobQueueConfig(
    Clock clock,
    Duration pollInterval,
    Duration leaseDuration,
    Duration leaseRenewInterval,
    Duration shutdownTimeout,
    Duration maintenanceInterval,
    RetryPolicy defaultRetryPolicy,
    Map<String, RetryPolicy> retryPolicies,
    UnknownJobTypes unknownJobTypes,
    Duration finishedJobRetention,
    @Nullable Duration failedJobRetention,
    Duration historyRetention,
    int completionBatchSize,
    boolean listen,
    @Nullable String workerName,
    TimeSource time) {

  /** What a pool does with a job whose type it has no handler for. */
  public enum UnknownJobTypes {
    /**
     * Never claim it: it stays pending until a pool with a handler for its type runs it. The
     * default; {@link JobQueue#explain} says when no live pool handles the type.
     */
    LEAVE_PENDING,
    /** Claim it and fail it at once, without retry, with an error naming the missing handler. */
    FAIL
  }

  /** Default poll interval: 500 ms (new jobs are picked up at once through signals anyway). */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
  /** Default lease: 30 s. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
  /** Default lease renewal: every 10 s. */
  public static final Duration DEFAULT_LEASE_RENEW_INTERVAL = Duration.ofSeconds(10);
  /** Default shutdown timeout: 30 s. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  /** Default maintenance interval: 5 s. */
  public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofSeconds(5);
  /** Default retention of succeeded and cancelled jobs: 1 day. */
  public static final Duration DEFAULT_FINISHED_JOB_RETENTION = Duration.ofDays(1);
  /** Default retention of history: 30 days. */
  public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(30);
  /** Default completion batch: 100. */
  public static final int DEFAULT_COMPLETION_BATCH_SIZE = 100;

  /** The defaults: system UTC clock, the constants above, failed jobs kept, LISTEN on, the database's time. */
  public static final JobQueueConfig DEFAULT = new JobQueueConfig(
      Clock.systemUTC(), DEFAULT_POLL_INTERVAL, DEFAULT_LEASE_DURATION, DEFAULT_LEASE_RENEW_INTERVAL,
      DEFAULT_SHUTDOWN_TIMEOUT, DEFAULT_MAINTENANCE_INTERVAL, RetryPolicy.DEFAULT, Map.of(),
      UnknownJobTypes.LEAVE_PENDING, DEFAULT_FINISHED_JOB_RETENTION, null, DEFAULT_HISTORY_RETENTION,
      DEFAULT_COMPLETION_BATCH_SIZE, true, null, TimeSource.database());

  /** Validates every value and quotes the bad one. */
  public JobQueueConfig {
    if (clock == null) {
      throw new InvalidInputException("clock must not be null; use Clock.systemUTC()");
    }
    positive("pollInterval", pollInterval);
    positive("leaseDuration", leaseDuration);
    positive("leaseRenewInterval", leaseRenewInterval);
    positive("maintenanceInterval", maintenanceInterval);
    if (leaseRenewInterval.compareTo(leaseDuration) >= 0) {
      throw new InvalidInputException("leaseRenewInterval (" + leaseRenewInterval + ") must be shorter than leaseDuration ("
          + leaseDuration + "), or leases expire between renewals");
    }
    if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
      throw new InvalidInputException("shutdownTimeout must be zero or positive but was " + shutdownTimeout);
    }
    if (defaultRetryPolicy == null) {
      throw new InvalidInputException("defaultRetryPolicy must not be null; use RetryPolicy.DEFAULT");
    }
    if (retryPolicies == null) {
      throw new InvalidInputException("retryPolicies must not be null; use Map.of()");
    }
    retryPolicies = Map.copyOf(retryPolicies);
    if (unknownJobTypes == null) {
      throw new InvalidInputException("unknownJobTypes must not be null; use UnknownJobTypes.LEAVE_PENDING");
    }
    positive("finishedJobRetention", finishedJobRetention);
    if (failedJobRetention != null) {
      positive("failedJobRetention", failedJobRetention);
    }
    positive("historyRetention", historyRetention);
    if (completionBatchSize < 1 || completionBatchSize > 10_000) {
      throw new InvalidInputException("completionBatchSize must be between 1 and 10000 but was " + completionBatchSize);
    }
    if (workerName != null) {
      workerName = JobRequest.name("worker name", workerName, 100);
    }
    if (time == null) {
      throw new InvalidInputException("time must not be null; use TimeSource.database()");
    }
  }

  private static void positive(String name, @Nullable Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new InvalidInputException(name + " must be positive but was " + value);
    }
  }

  /** The retry policy of {@code jobType}. */
  public RetryPolicy retryPolicy(String jobType) {
    return retryPolicies.getOrDefault(jobType, defaultRetryPolicy);
  }

  /**
   * Returns a copy with another application clock (for {@link JobContext#clock()}); to drive the
   * scheduler's own time in tests, use {@link #withTime}.
   */
  public JobQueueConfig withClock(Clock value) {
    return new JobQueueConfig(value, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, workerName, time);
  }

  /** Returns a copy with another poll interval. */
  public JobQueueConfig withPollInterval(Duration value) {
    return new JobQueueConfig(clock, value, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, workerName, time);
  }

  /** Returns a copy with another lease duration and renewal interval. */
  public JobQueueConfig withLease(Duration duration, Duration renewInterval) {
    return new JobQueueConfig(clock, pollInterval, duration, renewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, workerName, time);
  }

  /** Returns a copy with another shutdown timeout. */
  public JobQueueConfig withShutdownTimeout(Duration value) {
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, value, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, workerName, time);
  }

  /** Returns a copy with another maintenance interval. */
  public JobQueueConfig withMaintenanceInterval(Duration value) {
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, value,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, workerName, time);
  }

  /** Returns a copy with another default retry policy. */
  public JobQueueConfig withDefaultRetryPolicy(RetryPolicy value) {
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        value, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, workerName, time);
  }

  /** Returns a copy with a retry policy for {@code jobType}. */
  public JobQueueConfig withRetryPolicy(String jobType, RetryPolicy value) {
    if (value == null) {
      throw new InvalidInputException("the retry policy of '" + jobType + "' must not be null");
    }
    Map<String, RetryPolicy> copy = new HashMap<>(retryPolicies);
    copy.put(JobRequest.name("job type", jobType, 200), value);
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, copy, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, workerName, time);
  }

  /** Returns a copy with another handling of unknown job types. */
  public JobQueueConfig withUnknownJobTypes(UnknownJobTypes value) {
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, value, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, workerName, time);
  }

  /** Returns a copy with other retention periods (failed: null keeps failed jobs for ever). */
  public JobQueueConfig withRetention(Duration finishedJobs, @Nullable Duration failedJobs, Duration history) {
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobs, failedJobs, history,
        completionBatchSize, listen, workerName, time);
  }

  /** Returns a copy with another completion batch size. */
  public JobQueueConfig withCompletionBatchSize(int value) {
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        value, listen, workerName, time);
  }

  /** Returns a copy with LISTEN/NOTIFY on or off. */
  public JobQueueConfig withListen(boolean value) {
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, value, workerName, time);
  }

  /** Returns a copy with another worker name prefix. */
  public JobQueueConfig withWorkerName(@Nullable String value) {
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, value, time);
  }

  /**
   * Returns a copy with another source of the scheduler's time: {@link TimeSource#database()}
   * (the default) or, in tests, {@link TimeSource#of} a clock that every queue and pool on the
   * database shares.
   */
  public JobQueueConfig withTime(TimeSource value) {
    return new JobQueueConfig(clock, pollInterval, leaseDuration, leaseRenewInterval, shutdownTimeout, maintenanceInterval,
        defaultRetryPolicy, retryPolicies, unknownJobTypes, finishedJobRetention, failedJobRetention, historyRetention,
        completionBatchSize, listen, workerName, value);
  }
}
