package dev.fabula.internal;

import dev.fabula.spi.Snapshot;
import dev.fabula.spi.SnapshotStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/** Snapshots in a concurrent map; trees are copied in and out, so callers never share them. */
public final class InMemorySnapshotStore implements SnapshotStore {

  /** The store of {@link SnapshotStore#none()}: keeps nothing. */
  public static final SnapshotStore NONE = new SnapshotStore() {
    @Override
    public Optional<Snapshot> load(@Nullable String tenantId, String streamId) {
      return Optional.empty();
    }

    @Override
    public void save(@Nullable String tenantId, Snapshot snapshot) {}

    @Override
    public void delete(@Nullable String tenantId, String streamId) {}

    @Override
    public String toString() {
      return "no snapshots";
    }
  };

  /** A stream in a tenant's namespace (null: no tenant). */
  private record Key(@Nullable String tenantId, String streamId) {}

  private final ConcurrentMap<Key, Snapshot> snapshots = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemorySnapshotStore() {}

  @Override
  public Optional<Snapshot> load(@Nullable String tenantId, String streamId) {
    return Optional.ofNullable(snapshots.get(new Key(tenantId, streamId))).map(InMemorySnapshotStore::copy);
  }

  @Override
  public void save(@Nullable String tenantId, Snapshot snapshot) {
    Snapshot copy = copy(snapshot);
    snapshots.merge(new Key(tenantId, snapshot.streamId()), copy, (stored, candidate) -> SnapshotStore.replaces(candidate, stored) ? candidate : stored);
  }

  @Override
  public void delete(@Nullable String tenantId, String streamId) {
    snapshots.remove(new Key(tenantId, streamId));
  }

  private static Snapshot copy(Snapshot s) {
    return new Snapshot(s.streamId(), s.version(), s.stateSchemaVersion(), s.state().deepCopy(), s.takenAt());
  }

  @Override
  public String toString() {
    return "in-memory snapshots";
  }
}
