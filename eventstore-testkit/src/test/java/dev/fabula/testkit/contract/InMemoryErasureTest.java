package dev.fabula.testkit.contract;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.TableScan;
import org.jspecify.annotations.Nullable;

/** The in-memory store against {@link ErasureContract}: no tables to scan, the API checks only. */
class InMemoryErasureTest extends ErasureContract {
  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return EventStore.inMemory(config);
  }

  @Override
  protected @Nullable TableScan tableScan() {
    return null;
  }
}
