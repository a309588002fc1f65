package dev.fabula.spi;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where an {@link dev.fabula.AggregateRepository} keeps snapshots: at most one per stream. A
 * snapshot is a cache: losing one only makes the next load replay more events. Streams are keyed by
 * tenant and stream id, as in the event store ({@link dev.fabula.EventStore#forTenant}): a null
 * tenant is the unconfined store's namespace, and a tenant never reads another tenant's snapshot.
 *
 * <p>Implementations: {@link #inMemory()} for the in-memory store, {@code JdbcSnapshotStore} in
 * {@code eventstore-jdbc} (a table of its own next to the events). Implementations are thread-safe
 * and throw only {@link dev.fabula.EventStoreException}s.
 */
public interface SnapshotStore {

  /** The snapshot of {@code streamId} in {@code tenantId}'s namespace (null: no tenant), if any. */
  Optional<Snapshot> load(@Nullable String tenantId, String streamId);

  /**
   * Saves {@code snapshot}, replacing the stream's snapshot unless that one has the same state
   * schema version and a version at least as high (so racing savers keep the newest, and a new
   * state schema replaces an old one).
   */
  void save(@Nullable String tenantId, Snapshot snapshot);

  /**
   * Deletes the snapshot of {@code streamId} in {@code tenantId}'s namespace, if any. Call it after
   * {@link dev.fabula.EventStore#hardDeleteStream}: a snapshot holds the state the events described
   * (the JDBC store's hard delete erases its own snapshot table's row itself).
   */
  void delete(@Nullable String tenantId, String streamId);

  /** A store that keeps snapshots in this process's memory. */
  static SnapshotStore inMemory() {
    return new dev.fabula.internal.InMemorySnapshotStore();
  }

  /** A store that keeps nothing: every load replays the whole stream. */
  static SnapshotStore none() {
    return dev.fabula.internal.InMemorySnapshotStore.NONE;
  }

  /**
   * Whether {@code candidate} should replace {@code stored}: the rule every store's {@link #save}
   * follows.
   */
  static boolean replaces(Snapshot candidate, Snapshot stored) {
    return candidate.stateSchemaVersion() != stored.stateSchemaVersion() || candidate.version() > stored.version();
  }
}
