package dev.fabula.examples.bookings;

import dev.fabula.scheduler.RetryPolicy;
import java.time.Clock;
import java.time.Duration;

/**
 * How the booking platform runs. Immutable; start from {@link #DEFAULT}.
 *
 * @param tablePrefix prefix of every table (the store's, the queue's, the read models')
 * @param snapshotEvery a staff schedule is snapshotted whenever its version passes a multiple of this
 * @param stepRetries retries of each saga step (payment capture, confirmation, compensation)
 * @param pollInterval how often idle workers look for due jobs (retries become due by time)
 * @param workerThreads threads of the saga's worker pool
 * @param clock the job queue's clock (run times, retries, leases); tests move a clock of their own
 * @param faults where tests inject a crash right before a commit
 */
public record PlatformConfig(String tablePrefix, int snapshotEvery, RetryPolicy stepRetries, Duration pollInterval,
    int workerThreads, Clock clock, FaultInjector faults) {

  /** Production-like: retries after 60, 120 and 240 s, snapshots every 50 schedule events. */
  public static final PlatformConfig DEFAULT = new PlatformConfig("fabula_", 50,
      RetryPolicy.DEFAULT, Duration.ofMillis(500), 4, Clock.systemUTC(), FaultInjector.NONE);

  /** Validates. */
  public PlatformConfig {
    if (tablePrefix == null || !tablePrefix.matches("[a-z][a-z0-9_]{0,30}")) {
      throw new IllegalArgumentException("tablePrefix must be lower-case letters, digits and '_' but was '" + tablePrefix + "'");
    }
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException("snapshotEvery must be 1 or more but was " + snapshotEvery);
    }
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads must be 1 or more but was " + workerThreads);
    }
    if (stepRetries == null || pollInterval == null || clock == null || faults == null) {
      throw new IllegalArgumentException("stepRetries, pollInterval, clock and faults must not be null");
    }
  }

  /** With another table prefix. */
  public PlatformConfig withTablePrefix(String value) {
    return new PlatformConfig(value, snapshotEvery, stepRetries, pollInterval, workerThreads, clock, faults);
  }

  /** With another snapshot interval. */
  public PlatformConfig withSnapshotEvery(int value) {
    return new PlatformConfig(tablePrefix, value, stepRetries, pollInterval, workerThreads, clock, faults);
  }

  /** With other step retries. */
  public PlatformConfig withStepRetries(RetryPolicy value) {
    return new PlatformConfig(tablePrefix, snapshotEvery, value, pollInterval, workerThreads, clock, faults);
  }

  /** With another poll interval. */
  public PlatformConfig withPollInterval(Duration value) {
    return new PlatformConfig(tablePrefix, snapshotEvery, stepRetries, value, workerThreads, clock, faults);
  }

  /** With another worker pool size. */
  public PlatformConfig withWorkerThreads(int value) {
    return new PlatformConfig(tablePrefix, snapshotEvery, stepRetries, pollInterval, value, clock, faults);
  }

  /** With another clock for the job queue. */
  public PlatformConfig withClock(Clock value) {
    return new PlatformConfig(tablePrefix, snapshotEvery, stepRetries, pollInterval, workerThreads, value, faults);
  }

  /** With a fault injector. */
  public PlatformConfig withFaults(FaultInjector value) {
    return new PlatformConfig(tablePrefix, snapshotEvery, stepRetries, pollInterval, workerThreads, clock, value);
  }

  /** Called inside each transaction of the platform, right before it commits: a place to simulate a crash. */
  @FunctionalInterface
  public interface FaultInjector {
    /** Does nothing. */
    FaultInjector NONE = (step, bookingId) -> {};

    /**
     * Called before the commit of {@code step} ({@code booking-requested}, {@code payment-captured},
     * {@code booking-confirmed}, {@code booking-cancelled}) for a booking; throwing rolls the
     * transaction back.
     */
    void beforeCommit(String step, String bookingId);
  }
}
