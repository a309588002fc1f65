package dev.fabula;

import dev.fabula.spi.SnapshotStore;
import java.time.Duration;

/**
 * How an {@link AggregateRepository} works. Immutable; start from {@link #DEFAULT}:
 *
 * <pre>{@code
 * RepositoryConfig config = RepositoryConfig.DEFAULT
 *     .withMaxAttempts(20)
 *     .withSerializedWriters(true)
 *     .withSnapshots(JdbcSnapshotStore.open(store), SnapshotPolicy.everyEvents(100));
 * }</pre>
 *
 * @param maxAttempts how many times a command is decided and appended before a concurrency conflict
 *     is given up on and thrown; 1 means no retry
 * @param snapshotStore where snapshots are read and written
 * @param snapshotPolicy when snapshots are written
 * @param retryBackoff the most a command waits before its second attempt after a conflict; each
 *     further attempt may wait twice as long, up to {@code maxRetryBackoff}, and the actual wait is
 *     drawn at random below that bound (full jitter), so that writers who collided spread out
 * @param maxRetryBackoff the most a command waits between two attempts; zero with {@code
 *     retryBackoff} zero retries at once
 * @param serializedWriters whether commands on one stream take turns: each takes its stream's
 *     turn in this process (waiting threads hold no connection), then loads, decides and appends in
 *     one transaction that holds the stream's lock from before the load (on PostgreSQL a lock that
 *     every process on the database takes; on SQLite the transaction is the file's one writer), so
 *     that none of them conflicts with another. Only plain writers (other repositories without the
 *     option, direct appends) can still conflict; they are caught by the expected-version check and
 *     retried. Each command holds a connection for its whole turn
 */
public record RepositoryConfig(
    int maxAttempts,
    SnapshotStore snapshotStore,
    SnapshotPolicy snapshotPolicy,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    boolean serializedWriters) {

  /** Default attempts per command: 10. */
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  /** The most attempts allowed: 10,000. */
  public static final int MAX_ATTEMPTS_LIMIT = 10_000;

  /** Default bound of the wait before the second attempt: 2 ms. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(2);
  /** Default bound of any wait between attempts: 100 ms. */
  public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofMillis(100);
  /** The longest wait between attempts allowed: 10 s. */
  public static final Duration MAX_RETRY_BACKOFF_LIMIT = Duration.ofSeconds(10);

  /**
   * The defaults: 10 attempts with jittered backoff (2 ms doubling up to 100 ms), writers not
   * serialised, no snapshots.
   */
  public static final RepositoryConfig DEFAULT =
      new RepositoryConfig(DEFAULT_MAX_ATTEMPTS, SnapshotStore.none(), SnapshotPolicy.never(),
          DEFAULT_RETRY_BACKOFF, DEFAULT_MAX_RETRY_BACKOFF, false);

  /** Validates every value and quotes the bad one. */
  public RepositoryConfig {
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
      throw new InvalidInputException(
          "maxAttempts must be between 1 and " + MAX_ATTEMPTS_LIMIT + " but was " + maxAttempts);
    }
    if (snapshotStore == null) {
      throw new InvalidInputException("snapshotStore must not be null; use SnapshotStore.none()");
    }
    if (snapshotPolicy == null) {
      throw new InvalidInputException("snapshotPolicy must not be null; use SnapshotPolicy.never()");
    }
    if (snapshotStore == SnapshotStore.none() && snapshotPolicy != SnapshotPolicy.never()) {
      throw new InvalidInputException(
          "snapshot policy " + snapshotPolicy + " needs a snapshot store; use withSnapshots(store, policy) "
              + "with SnapshotStore.inMemory() or JdbcSnapshotStore.open(store)");
    }
    if (retryBackoff == null || maxRetryBackoff == null) {
      throw new InvalidInputException("retry backoffs must not be null; use Duration.ZERO to retry at once");
    }
    if (retryBackoff.isNegative() || maxRetryBackoff.compareTo(MAX_RETRY_BACKOFF_LIMIT) > 0
        || retryBackoff.compareTo(maxRetryBackoff) > 0) {
      throw new InvalidInputException(
          "retry backoff must be at least 0 and at most the maximum backoff, which must be at most "
              + MAX_RETRY_BACKOFF_LIMIT + ", but they were " + retryBackoff + " and " + maxRetryBackoff);
    }
  }

  /** Returns a copy with another number of attempts. */
  public RepositoryConfig withMaxAttempts(int value) {
    return new RepositoryConfig(value, snapshotStore, snapshotPolicy, retryBackoff, maxRetryBackoff, serializedWriters);
  }

  /**
   * Returns a copy that waits at most {@code first} before the second attempt after a conflict, at
   * most twice as long before each further one, never more than {@code max}; each wait is drawn
   * at random below its bound. {@code (Duration.ZERO, Duration.ZERO)} retries at once.
   */
  public RepositoryConfig withRetryBackoff(Duration first, Duration max) {
    return new RepositoryConfig(maxAttempts, snapshotStore, snapshotPolicy, first, max, serializedWriters);
  }

  /**
   * Returns a copy whose commands on one stream take turns, within this process and across
   * processes on one database (see {@link #serializedWriters}): for a hot aggregate that many
   * threads or processes write at once.
   */
  public RepositoryConfig withSerializedWriters(boolean value) {
    return new RepositoryConfig(maxAttempts, snapshotStore, snapshotPolicy, retryBackoff, maxRetryBackoff, value);
  }

  /** Returns a copy that reads snapshots from {@code store} and writes them as {@code policy} says. */
  public RepositoryConfig withSnapshots(SnapshotStore store, SnapshotPolicy policy) {
    return new RepositoryConfig(maxAttempts, store, policy, retryBackoff, maxRetryBackoff, serializedWriters);
  }

  /** Returns a copy that reads snapshots from {@code store}, keeping the policy. */
  public RepositoryConfig withSnapshotStore(SnapshotStore store) {
    return new RepositoryConfig(maxAttempts, store, snapshotPolicy, retryBackoff, maxRetryBackoff, serializedWriters);
  }
}
