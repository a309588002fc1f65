package dev.fabula.health;

import dev.fabula.EventStoreException;
import dev.fabula.InvalidInputException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.SchemaVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event store's readiness: {@code store} (the database answers) and {@code schema} (every
 * component's tables are at the version this library needs: the event store's and those of the
 * modules on the class path, see {@link JdbcEventStore#schemaVersions()}). One read of the
 * schema-version table answers both, without the store's retries, so a lost database shows at
 * once.
 *
 * <p>A schema behind (a restore from an old backup taken before a migration) or ahead (a newer
 * release migrated the database) is {@link Status#DOWN}: this instance's statements may fail on it.
 * A component with no tables at all (a module on the class path the application never opened) is
 * not in use, and shown as {@code not installed} in the details.
 */
public final class StoreHealth implements HealthIndicator {
  private final JdbcEventStore store;

  private StoreHealth(JdbcEventStore store) {
    this.store = store;
  }

  /** The readiness indicator of {@code store}, named {@code store}. */
  public static StoreHealth of(JdbcEventStore store) {
    if (store == null) {
      throw new InvalidInputException("store must not be null");
    }
    return new StoreHealth(store);
  }

  @Override
  public String name() {
    return "store";
  }

  @Override
  public HealthCheck.Kind kind() {
    return HealthCheck.Kind.READINESS;
  }

  @Override
  public List<HealthCheck> check() {
    List<SchemaVersion> versions;
    try {
      versions = store.schemaVersions();
    } catch (EventStoreException e) {
      String why = "the database did not answer: " + e.getMessage();
      return List.of(
          HealthCheck.of("store", kind(), Status.DOWN, why),
          HealthCheck.of("schema", kind(), Status.DOWN, "unknown: the database did not answer"));
    }
    HealthCheck reachable = HealthCheck.of("store", kind(), Status.UP, "the database answers");
    Map<String, String> details = new LinkedHashMap<>();
    StringBuilder wrong = new StringBuilder();
    for (SchemaVersion v : versions) {
      details.put(v.component(), v.installed() + "/" + v.required() + (v.installed() == 0 ? " (not installed)" : ""));
      // A module on the class path that this application never opened has no tables: not in use.
      if (!v.current() && v.installed() > 0) {
        wrong.append(wrong.length() == 0 ? "" : "; ").append(v.component()).append(" is at version ").append(v.installed())
            .append(v.behind() ? " but this library needs " : " but this library knows only ").append(v.required());
      }
    }
    HealthCheck schema = wrong.length() == 0
        ? new HealthCheck("schema", kind(), Status.UP, "every component's schema is current", details)
        : new HealthCheck("schema", kind(), Status.DOWN, wrong
            + (versions.stream().anyMatch(v -> v.behind() && v.installed() > 0)
                ? ": migrate (JdbcEventStore.migrate or fabula migrate)"
                : ": a newer release migrated the database; upgrade this instance"), details);
    return List.of(reachable, schema);
  }
}
