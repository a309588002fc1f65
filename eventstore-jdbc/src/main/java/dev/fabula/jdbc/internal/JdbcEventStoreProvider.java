package dev.fabula.jdbc.internal;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.spi.EventStoreProvider;

/** Opens {@code jdbc:} URLs for {@link EventStore#open(String)}. */
public final class JdbcEventStoreProvider implements EventStoreProvider {

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public boolean accepts(String url) {
    return url.startsWith("jdbc:");
  }

  @Override
  public EventStore open(String url, EventStoreConfig config) {
    return JdbcBackend.open(url, config);
  }
}
