package dev.fabula.testkit.contract;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.internal.InMemoryKeyStore;
import dev.fabula.internal.KeyCache;
import dev.fabula.internal.StoreView;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The in-memory store against {@link PersonalDataContract}: its storage is the backend behind the view. */
class InMemoryPersonalDataTest extends PersonalDataContract {
  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return EventStore.inMemory(config);
  }

  @Override
  protected List<String> storedText(EventStore store) {
    try (Stream<RecordedEvent> stored = ((StoreView) store).backend().readAll(LogQuery.all())) {
      return stored.map(e -> e.payload().toString()).toList();
    }
  }

  @Override
  protected int keyVersions(EventStore store, @Nullable String tenant, String subject) {
    KeyCache cache = (KeyCache) ((StoreView) store).backend().config().personalData().keyStore();
    return ((InMemoryKeyStore) cache.delegate()).versions(tenant, subject);
  }
}
