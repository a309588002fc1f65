package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.jdbc.spi.ComponentProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The explicit migration step: opens the store migrating on open, which migrates the event store's
 * tables, then opens every component a {@link ComponentProvider} lists on the classpath, which
 * migrates each, and closes again. Each step is one transaction under the dialect's migration lock
 * (see {@link dev.fabula.jdbc.spi.Migrations}), so a migrate racing an application that migrates
 * on open, or a second migrate, is harmless.
 */
public final class SchemaMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

  private SchemaMigrator() {}

  /** See {@link JdbcEventStore#migrate(String, JdbcConfig)}. */
  public static Map<String, Integer> migrate(Supplier<JdbcEventStore> open) {
    List<Component> components = discover();
    Map<String, Integer> versions = new LinkedHashMap<>();
    try (JdbcEventStore store = open.get()) {
      versions.put("eventstore", JdbcBackend.MIGRATIONS.size());
      for (Component component : components) {
        ComponentDatabase.open(store, component);
        versions.put(component.name(), component.migrations().size());
      }
      if (store.jdbcConfig().rowLevelSecurity()) {
        versions.put(RowLevelSecurity.COMPONENT.name(), RowLevelSecurity.COMPONENT.migrations().size());
      }
    }
    LOG.info("Schema migrated: {}", versions);
    return Collections.unmodifiableMap(versions);
  }

  /** Opens a store with its own pool on {@code url}, migrating on open. */
  public static JdbcEventStore open(String url, JdbcConfig jdbc) {
    return JdbcBackend.open(url, EventStoreConfig.DEFAULT, jdbc.withMigrateOnOpen(true));
  }

  /** Opens a store on a caller's data source, migrating on open. */
  public static JdbcEventStore open(javax.sql.DataSource dataSource, JdbcConfig jdbc) {
    return JdbcBackend.open(dataSource, EventStoreConfig.DEFAULT, jdbc.withMigrateOnOpen(true));
  }

  /** The components listed on the classpath, each name once, in discovery order; each logged. */
  static List<Component> discover() {
    return discover(true);
  }

  /** The components listed on the classpath, each name once, in discovery order; logged if {@code log}. */
  static List<Component> discover(boolean log) {
    Map<String, Component> found = new LinkedHashMap<>();
    for (ComponentProvider provider : ServiceLoader.load(ComponentProvider.class, SchemaMigrator.class.getClassLoader())) {
      Component component = provider.component();
      if (found.putIfAbsent(component.name(), component) == null && log) {
        LOG.info("Found component '{}' ({}): {} migration(s)",
            component.name(), provider.getClass().getName(), component.migrations().size());
      }
    }
    return new ArrayList<>(found.values());
  }
}
