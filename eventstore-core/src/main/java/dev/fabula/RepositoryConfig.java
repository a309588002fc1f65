package dev.fabula;

import dev.fabula.spi.SnapshotStore;

/**
 * How an {@link AggregateRepository} works. Immutable; start from {@link #DEFAULT}:
 *
 * <pre>{@code
 * RepositoryConfig config = RepositoryConfig.DEFAULT
 *     .withMaxAttempts(20)
 *     .withSnapshots(JdbcSnapshotStore.open(store), SnapshotPolicy.everyEvents(100));
 * }</pre>
 *
 * @param maxAttempts how many times a command is decided and appended before a concurrency conflict
 *     is given up on and thrown; 1 means no retry
 * @param snapshotStore where snapshots are read and written
 * @param snapshotPolicy when snapshots are written
 */
public record RepositoryConfig(int maxAttempts, SnapshotStore snapshotStore, SnapshotPolicy snapshotPolicy) {

  /** Default attempts per command: 10. */
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  /** The most attempts allowed: 10,000. */
  public static final int MAX_ATTEMPTS_LIMIT = 10_000;

  /** The defaults: 10 attempts, no snapshots. */
  public static final RepositoryConfig DEFAULT =
      new RepositoryConfig(DEFAULT_MAX_ATTEMPTS, SnapshotStore.none(), SnapshotPolicy.never());

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
  }

  /** Returns a copy with another number of attempts. */
  public RepositoryConfig withMaxAttempts(int value) {
    return new RepositoryConfig(value, snapshotStore, snapshotPolicy);
  }

  /** Returns a copy that reads snapshots from {@code store} and writes them as {@code policy} says. */
  public RepositoryConfig withSnapshots(SnapshotStore store, SnapshotPolicy policy) {
    return new RepositoryConfig(maxAttempts, store, policy);
  }

  /** Returns a copy that reads snapshots from {@code store}, keeping the policy. */
  public RepositoryConfig withSnapshotStore(SnapshotStore store) {
    return new RepositoryConfig(maxAttempts, store, snapshotPolicy);
  }
}
