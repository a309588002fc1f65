package dev.fabula.projections;

import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link ProjectionRunner} runs. Immutable; start from {@link #DEFAULT} and change what you
 * need:
 *
 * <pre>{@code
 * RunnerConfig config = RunnerConfig.DEFAULT
 *     .withOwner("billing-7f9c")              // shows in status and logs
 *     .withLeaseDuration(Duration.ofSeconds(15));
 * }</pre>
 *
 * @param owner this runner's name in lease rows and logs, unique per running runner; null: {@code
 *     <host>:<pid>:<random>}
 * @param pollInterval the safety net: how often an idle projection looks at the log although no
 *     signal came (a lost notification, PgBouncer in transaction mode, another process on SQLite)
 * @param leaseDuration how long a lease lasts without renewal; a dead runner's projections are
 *     taken over at most about {@code 4/3} of this after its last renewal, a frozen one's (a
 *     {@code SIGSTOP}, a hung handler) about {@code 4/3} of this after it froze. Renewed every
 *     third of it; a holder stops applying a tenth of it before it runs out (the safe window).
 *     Must exceed the longest batch plus the longest pause (GC, I/O) of the holder. On PostgreSQL
 *     it is also the runner's transactions' {@code idle_in_transaction_session_timeout} and {@code
 *     lock_timeout}
 * @param maxAttempts how many times an event is tried before the {@link FailurePolicy} applies
 * @param initialBackoff the wait before the second attempt; doubled for each further one
 * @param maxBackoff the longest wait between attempts
 * @param listen whether to LISTEN for other processes' appends on PostgreSQL; off, polling alone
 *     finds them (turn off behind PgBouncer in transaction mode)
 * @param listenDataSource where to open the dedicated LISTEN connection; null: the runner opens
 *     one with the pool's own URL and user, outside the pool (for stores opened with the
 *     credentials in the URL), else it borrows one pool connection for as long as it runs
 * @param listenCheckInterval how often the LISTEN connection is tested when quiet, so that a
 *     connection that died silently is replaced
 * @param segmentThreads for a projection that runs as segments ({@link Projection#withSegments}):
 *     how many of its segments this runner works at a time, one thread each. A thread claims only
 *     a segment that no runner holds, so the segments spread over the runners of several
 *     processes; one that holds none looks again every third of the lease
 */
public record RunnerConfig(
    @Nullable String owner,
    Duration pollInterval,
    Duration leaseDuration,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    boolean listen,
    @Nullable DataSource listenDataSource,
    Duration listenCheckInterval,
    int segmentThreads) {

  /** Default safety-net poll: 1 second. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  /** Default lease: 30 seconds. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
  /** Default attempts per event: 5. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Default first backoff: 100 ms (then 200, 400, 800… ms). */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  /** Default longest backoff: 30 seconds. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  /** Default LISTEN connection test: every 10 seconds of quiet. */
  public static final Duration DEFAULT_LISTEN_CHECK_INTERVAL = Duration.ofSeconds(10);

  /** Default threads per segmented projection: 4. */
  public static final int DEFAULT_SEGMENT_THREADS = 4;

  /** The defaults. */
  public static final RunnerConfig DEFAULT = new RunnerConfig(
      null, DEFAULT_POLL_INTERVAL, DEFAULT_LEASE_DURATION, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF,
      DEFAULT_MAX_BACKOFF, true, null, DEFAULT_LISTEN_CHECK_INTERVAL, DEFAULT_SEGMENT_THREADS);

  /** Validates every value and quotes the bad one. */
  public RunnerConfig {
    if (owner != null && (owner.isBlank() || owner.length() > 200)) {
      throw new ProjectionException("owner '" + owner + "' is invalid; use 1 to 200 characters, or null for a generated one");
    }
    positive("pollInterval", pollInterval);
    positive("leaseDuration", leaseDuration);
    positive("initialBackoff", initialBackoff);
    positive("maxBackoff", maxBackoff);
    positive("listenCheckInterval", listenCheckInterval);
    if (leaseDuration.toMillis() < 300) {
      throw new ProjectionException("leaseDuration must be at least 300 ms but was " + leaseDuration.toMillis() + " ms");
    }
    if (segmentThreads < 1 || segmentThreads > 1024) {
      throw new ProjectionException("segmentThreads must be between 1 and 1024 but was " + segmentThreads);
    }
    if (maxAttempts < 1) {
      throw new ProjectionException("maxAttempts must be 1 or more but was " + maxAttempts);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new ProjectionException(
          "maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
    }
  }

  private static void positive(String name, @Nullable Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ProjectionException(name + " must be a positive duration but was " + value);
    }
  }

  /** Returns a copy with another owner name (null: generated). */
  public RunnerConfig withOwner(@Nullable String value) {
    return new RunnerConfig(value, pollInterval, leaseDuration, maxAttempts, initialBackoff, maxBackoff,
        listen, listenDataSource, listenCheckInterval, segmentThreads);
  }

  /** Returns a copy with another poll interval. */
  public RunnerConfig withPollInterval(Duration value) {
    return new RunnerConfig(owner, value, leaseDuration, maxAttempts, initialBackoff, maxBackoff,
        listen, listenDataSource, listenCheckInterval, segmentThreads);
  }

  /** Returns a copy with another lease duration. */
  public RunnerConfig withLeaseDuration(Duration value) {
    return new RunnerConfig(owner, pollInterval, value, maxAttempts, initialBackoff, maxBackoff,
        listen, listenDataSource, listenCheckInterval, segmentThreads);
  }

  /** Returns a copy with another number of attempts per event. */
  public RunnerConfig withMaxAttempts(int value) {
    return new RunnerConfig(owner, pollInterval, leaseDuration, value, initialBackoff, maxBackoff,
        listen, listenDataSource, listenCheckInterval, segmentThreads);
  }

  /** Returns a copy with other backoff bounds. */
  public RunnerConfig withBackoff(Duration initial, Duration max) {
    return new RunnerConfig(owner, pollInterval, leaseDuration, maxAttempts, initial, max,
        listen, listenDataSource, listenCheckInterval, segmentThreads);
  }

  /** Returns a copy that does or does not LISTEN on PostgreSQL. */
  public RunnerConfig withListen(boolean value) {
    return new RunnerConfig(owner, pollInterval, leaseDuration, maxAttempts, initialBackoff, maxBackoff,
        value, listenDataSource, listenCheckInterval, segmentThreads);
  }

  /** Returns a copy that opens its LISTEN connection from {@code value} (null: see the class comment). */
  public RunnerConfig withListenDataSource(@Nullable DataSource value) {
    return new RunnerConfig(owner, pollInterval, leaseDuration, maxAttempts, initialBackoff, maxBackoff,
        listen, value, listenCheckInterval, segmentThreads);
  }

  /** Returns a copy with another LISTEN connection test interval. */
  public RunnerConfig withListenCheckInterval(Duration value) {
    return new RunnerConfig(owner, pollInterval, leaseDuration, maxAttempts, initialBackoff, maxBackoff,
        listen, listenDataSource, value, segmentThreads);
  }

  /** Returns a copy that works at most {@code value} segments of each segmented projection at a time. */
  public RunnerConfig withSegmentThreads(int value) {
    return new RunnerConfig(owner, pollInterval, leaseDuration, maxAttempts, initialBackoff, maxBackoff,
        listen, listenDataSource, listenCheckInterval, value);
  }

  /** The wait before attempt {@code attempt} (2 or more): doubled each time, capped. */
  public Duration backoffBefore(int attempt) {
    long millis = initialBackoff.toMillis();
    for (int i = 2; i < attempt && millis < maxBackoff.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
