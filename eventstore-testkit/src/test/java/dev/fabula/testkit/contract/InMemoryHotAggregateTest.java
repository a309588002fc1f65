package dev.fabula.testkit.contract;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.spi.SnapshotStore;

/** The in-memory store against {@link HotAggregateContract}. */
class InMemoryHotAggregateTest extends HotAggregateContract {
  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return EventStore.inMemory(config);
  }

  @Override
  protected SnapshotStore openSnapshotStore(EventStore store) {
    return SnapshotStore.inMemory();
  }
}
