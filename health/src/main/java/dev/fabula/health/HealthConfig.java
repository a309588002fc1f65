package dev.fabula.health;

import dev.fabula.InvalidInputException;
import java.time.Duration;

/**
 * The thresholds of Fabula's health checks. Immutable; start from {@link #DEFAULT} and change what
 * you need:
 *
 * <pre>{@code
 * HealthConfig config = HealthConfig.DEFAULT
 *     .withMaxProjectionLag(Duration.ofSeconds(30))   // a read model may trail the log by 30 s
 *     .withMaxFailedJobs(0);                           // any failed job needs a look
 * }</pre>
 *
 * @param timeout how long one indicator may take before it is reported {@link Status#DOWN} (a
 *     database that does not answer must not hang the probe)
 * @param maxProjectionLag how long the oldest event a projection has not applied yet may wait
 *     ({@code ProjectionStatus.lag()}) before the projection is not ready
 * @param maxParkedEvents parked events per projection above which it is {@link Status#DEGRADED}
 * @param maxFailedJobs failed jobs in the queue above which it is {@link Status#DEGRADED}
 */
public record HealthConfig(Duration timeout, Duration maxProjectionLag, long maxParkedEvents, long maxFailedJobs) {

  /** Default indicator time limit: 5 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** Default projection lag limit: 1 minute. */
  public static final Duration DEFAULT_MAX_PROJECTION_LAG = Duration.ofMinutes(1);

  /** The defaults: 5 s per indicator, 1 minute of projection lag, no parked events, no failed jobs. */
  public static final HealthConfig DEFAULT = new HealthConfig(DEFAULT_TIMEOUT, DEFAULT_MAX_PROJECTION_LAG, 0, 0);

  /** Validates every value and quotes the bad one. */
  public HealthConfig {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidInputException("timeout must be positive but was " + timeout);
    }
    if (maxProjectionLag == null || maxProjectionLag.isNegative()) {
      throw new InvalidInputException("maxProjectionLag must be zero or more but was " + maxProjectionLag);
    }
    if (maxParkedEvents < 0) {
      throw new InvalidInputException("maxParkedEvents must be 0 or more but was " + maxParkedEvents);
    }
    if (maxFailedJobs < 0) {
      throw new InvalidInputException("maxFailedJobs must be 0 or more but was " + maxFailedJobs);
    }
  }

  /** Returns a copy with another indicator time limit. */
  public HealthConfig withTimeout(Duration value) {
    return new HealthConfig(value, maxProjectionLag, maxParkedEvents, maxFailedJobs);
  }

  /** Returns a copy with another projection lag limit. */
  public HealthConfig withMaxProjectionLag(Duration value) {
    return new HealthConfig(timeout, value, maxParkedEvents, maxFailedJobs);
  }

  /** Returns a copy with another parked-events threshold. */
  public HealthConfig withMaxParkedEvents(long value) {
    return new HealthConfig(timeout, maxProjectionLag, value, maxFailedJobs);
  }

  /** Returns a copy with another failed-jobs threshold. */
  public HealthConfig withMaxFailedJobs(long value) {
    return new HealthConfig(timeout, maxProjectionLag, maxParkedEvents, value);
  }
}
