package dev.fabula.scheduler;

import dev.fabula.InvalidInputException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * How failed attempts are retried: after attempt {@code n} fails, the job runs again after
 * {@code baseDelay × factor^(n−1)}, capped at {@code maxDelay}, shortened by up to {@code jitter}
 * of itself at random; once {@code maxAttempts} attempts have failed, the job is failed and kept
 * with its error history. The default retries after 60 s, 120 s and 240 s, then fails:
 *
 * <pre>{@code
 * RetryPolicy.DEFAULT                                   // 4 attempts: 60 s, 120 s, 240 s
 * RetryPolicy.DEFAULT.withMaxAttempts(6).withJitter(0.2).withMaxDelay(Duration.ofMinutes(10))
 * }</pre>
 *
 * <p>Set one per job type with {@link JobQueueConfig#withRetryPolicy(String, RetryPolicy)}; a
 * job's own {@link JobRequest#maxAttempts()} wins over the policy's.
 *
 * @param maxAttempts attempts in all, the first included; 1 means no retry
 * @param baseDelay the delay after the first failure
 * @param factor the growth per further failure, at least 1
 * @param maxDelay the longest delay, or null for none
 * @param jitter in [0, 1]: the delay is drawn uniformly from {@code [d × (1 − jitter), d]}
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, double factor, @Nullable Duration maxDelay, double jitter) {

  /** 4 attempts, 60 s base, factor 2, no cap, no jitter: retries after 60 s, 120 s, 240 s. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofSeconds(60), 2.0, null, 0.0);

  /** Validates every value and quotes the bad one. */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new InvalidInputException("maxAttempts must be 1 or more but was " + maxAttempts);
    }
    if (baseDelay == null || baseDelay.isNegative()) {
      throw new InvalidInputException("baseDelay must be zero or positive but was " + baseDelay);
    }
    if (!(factor >= 1.0) || Double.isInfinite(factor)) {
      throw new InvalidInputException("factor must be a finite number of 1 or more but was " + factor);
    }
    if (maxDelay != null && maxDelay.isNegative()) {
      throw new InvalidInputException("maxDelay must be zero or positive but was " + maxDelay);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new InvalidInputException("jitter must be between 0 and 1 but was " + jitter);
    }
  }

  /** A policy that never retries. */
  public static RetryPolicy noRetry() {
    return DEFAULT.withMaxAttempts(1);
  }

  /** Returns a copy with another attempt count. */
  public RetryPolicy withMaxAttempts(int value) {
    return new RetryPolicy(value, baseDelay, factor, maxDelay, jitter);
  }

  /** Returns a copy with another base delay. */
  public RetryPolicy withBaseDelay(Duration value) {
    return new RetryPolicy(maxAttempts, value, factor, maxDelay, jitter);
  }

  /** Returns a copy with another growth factor. */
  public RetryPolicy withFactor(double value) {
    return new RetryPolicy(maxAttempts, baseDelay, value, maxDelay, jitter);
  }

  /** Returns a copy with a cap on the delay (null: none). */
  public RetryPolicy withMaxDelay(@Nullable Duration value) {
    return new RetryPolicy(maxAttempts, baseDelay, factor, value, jitter);
  }

  /** Returns a copy with another jitter. */
  public RetryPolicy withJitter(double value) {
    return new RetryPolicy(maxAttempts, baseDelay, factor, maxDelay, value);
  }

  /**
   * The delay before the attempt after failed attempt {@code attempt} (1-based), without jitter:
   * {@code min(maxDelay, baseDelay × factor^(attempt−1))}.
   */
  public Duration delayAfter(int attempt) {
    double millis = baseDelay.toMillis() * Math.pow(factor, Math.max(0, attempt - 1));
    long capped = maxDelay == null ? (long) Math.min(millis, Long.MAX_VALUE / 4) : (long) Math.min(millis, maxDelay.toMillis());
    return Duration.ofMillis(capped);
  }

  /** {@link #delayAfter} with this policy's jitter applied. */
  public Duration jitteredDelayAfter(int attempt) {
    Duration d = delayAfter(attempt);
    if (jitter == 0.0 || d.isZero()) {
      return d;
    }
    double cut = ThreadLocalRandom.current().nextDouble() * jitter;
    return Duration.ofMillis(Math.round(d.toMillis() * (1.0 - cut)));
  }
}
