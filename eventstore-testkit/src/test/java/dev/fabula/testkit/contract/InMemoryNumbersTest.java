package dev.fabula.testkit.contract;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;

/** The in-memory store against {@link EventStoreNumbersContract}. */
class InMemoryNumbersTest extends EventStoreNumbersContract {
  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return EventStore.inMemory(config);
  }
}
