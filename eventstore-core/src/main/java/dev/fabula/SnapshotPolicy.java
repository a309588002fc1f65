package dev.fabula;

/**
 * When an {@link AggregateRepository} stores a snapshot of an aggregate's state: never, every N
 * events, or when a predicate says so. The repository asks after each successful command and after
 * each load that replayed events, so that a long stream gets its first snapshot on its next load.
 * Saving a snapshot never fails a command: a failure is logged and the snapshot skipped.
 *
 * <pre>{@code
 * SnapshotPolicy.everyEvents(100)
 * candidate -> candidate.version() - candidate.previousSnapshotVersion() >= 500
 *     || candidate.state() instanceof ConfigValue v && v.deleted()
 * }</pre>
 */
@FunctionalInterface
public interface SnapshotPolicy {

  /** Whether to store a snapshot of {@code candidate}. Called often: keep it cheap. */
  boolean shouldSnapshot(Candidate candidate);

  /**
   * A state the repository could store as a snapshot.
   *
   * @param streamId the aggregate's stream
   * @param version the stream version of the state
   * @param previousSnapshotVersion the version of the snapshot the state was built from, 0 if none
   * @param state the state
   */
  record Candidate(String streamId, long version, long previousSnapshotVersion, Object state) {
    /** How many events the state holds beyond its snapshot. */
    public long eventsSinceSnapshot() {
      return version - previousSnapshotVersion;
    }
  }

  /** Never store snapshots (the default); loads still read snapshots a store holds. */
  static SnapshotPolicy never() {
    return Never.INSTANCE;
  }

  /**
   * Store a snapshot whenever the version reaches a multiple of {@code n} (100, 200… for 100) or
   * passes one since the previous snapshot.
   *
   * @throws InvalidInputException if {@code n} is less than 1
   */
  static SnapshotPolicy everyEvents(int n) {
    if (n < 1) {
      throw new InvalidInputException("snapshot interval must be 1 event or more but was " + n);
    }
    return new EveryEvents(n);
  }

  /** The policy of {@link #never()}. */
  enum Never implements SnapshotPolicy {
    /** The one instance. */
    INSTANCE;

    @Override
    public boolean shouldSnapshot(Candidate candidate) {
      return false;
    }

    @Override
    public String toString() {
      return "never";
    }
  }

  /**
   * The policy of {@link #everyEvents(int)}.
   *
   * @param n the interval in events
   */
  record EveryEvents(int n) implements SnapshotPolicy {
    @Override
    public boolean shouldSnapshot(Candidate candidate) {
      return candidate.version() / n > candidate.previousSnapshotVersion() / n;
    }
  }
}
