package dev.fabula.testkit.contract;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamDeletedException;
import dev.fabula.spi.SnapshotStore;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The in-memory store against {@link RetentionContract}; its "storage" is read through the store's own reads. */
class InMemoryRetentionTest extends RetentionContract {
  private final Map<EventStore, SnapshotStore> snapshots = new IdentityHashMap<>();

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return EventStore.inMemory(config);
  }

  @Override
  protected SnapshotStore openSnapshotStore(EventStore store) {
    return snapshots.computeIfAbsent(store, s -> SnapshotStore.inMemory());
  }

  @Override
  protected List<Long> storedVersions(EventStore store, String table, String tenantKey, String streamId) {
    EventStore view = tenantKey.isEmpty() ? store : store.forTenant(tenantKey);
    List<RecordedEvent> events;
    try {
      events = table.equals("events") ? view.readStream(streamId) : view.retention().readArchived(streamId);
    } catch (StreamDeletedException | dev.fabula.InvalidInputException e) {
      events = List.of();
    }
    return events.stream().map(RecordedEvent::streamVersion).toList();
  }
}
