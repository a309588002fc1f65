package dev.fabula.spi;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A backend that {@link EventStore#open(String, EventStoreConfig)} can find: implement it, list the
 * class in {@code META-INF/services/dev.fabula.spi.EventStoreProvider}, and put the jar on the
 * class path. The JDBC module provides one for {@code jdbc:sqlite:} and {@code jdbc:postgresql:};
 * a new SQL database is usually better added as a dialect of that module (see the SPI guide).
 */
public interface EventStoreProvider {

  /** A short name for logs and errors, such as {@code jdbc}. */
  String name();

  /** Whether this provider opens {@code url}. */
  boolean accepts(String url);

  /** Opens a store for {@code url}. */
  EventStore open(String url, EventStoreConfig config);

  /**
   * Finds the one provider that accepts {@code url} among those on the class path.
   *
   * @throws EventStoreException if none or several do
   */
  static EventStoreProvider find(String url) {
    if (url == null || url.isBlank()) {
      throw new dev.fabula.InvalidInputException("store URL must not be blank; for example jdbc:sqlite:app.db");
    }
    List<EventStoreProvider> accepting = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (EventStoreProvider p : ServiceLoader.load(EventStoreProvider.class)) {
      seen.add(p.name());
      if (p.accepts(url)) {
        accepting.add(p);
      }
    }
    if (accepting.size() == 1) {
      return accepting.get(0);
    }
    String safeUrl = dev.fabula.internal.Secrets.mask(url);
    if (accepting.isEmpty()) {
      throw new EventStoreException(
          "no event store backend accepts '" + safeUrl + "' (backends found: " + seen
              + "); add dev.fabula:fabula-jdbc to the class path for jdbc:sqlite: and jdbc:postgresql: URLs");
    }
    throw new EventStoreException(
        "several backends accept '" + safeUrl + "': "
            + accepting.stream().map(EventStoreProvider::name).toList() + "; keep only one on the class path");
  }
}
