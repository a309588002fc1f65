package dev.fabula.jdbc.internal;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.spi.EventStoreProvider;

/**
 * Opens {@code jdbc:} URLs for {@link EventStore#open(String)}, with the default tables and pool
 * ({@link JdbcConfig#DEFAULT}); {@link dev.fabula.jdbc.JdbcEventStore#open(String, EventStoreConfig,
 * JdbcConfig)} chooses others.
 */
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
    return JdbcBackend.open(url, config, JdbcConfig.DEFAULT);
  }
}
