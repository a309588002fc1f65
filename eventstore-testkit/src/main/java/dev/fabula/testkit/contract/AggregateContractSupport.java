package dev.fabula.testkit.contract;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.AggregateRepository;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.spi.SnapshotStore;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigCommand;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigEvent;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValue;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValueAggregate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * What the aggregate suites share: the backend's stores and snapshot store, a fresh table prefix per
 * store, the config-value aggregate's repository, and closing every store after each test. The
 * suites are {@link AggregateCommandContract} (the aggregate's rules and exactly-once command
 * handling), {@link AggregateHistoryContract} (upcasters, snapshots and time travel) and {@link
 * HotAggregateContract} (16 writers on one aggregate, with serialised writers and with backoff).
 *
 * <p>A backend's subclass of each suite supplies stores and its snapshot store:
 *
 * <pre>{@code
 * class AggregateCommandSqliteTest extends AggregateCommandContract {
 *   @TempDir static Path dir;
 *   protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
 *     return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("events.db"), config,
 *         JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tablePrefix)); // a test database: migrate on open
 *   }
 *   protected SnapshotStore openSnapshotStore(EventStore store) {
 *     return JdbcSnapshotStore.open((JdbcEventStore) store);
 *   }
 * }
 * }</pre>
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class AggregateContractSupport {

  /** Builds JSON payloads and snapshot states. */
  protected static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** The instant the time-travel and snapshot tests start their clocks at. */
  protected static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

  private final List<EventStore> opened = new ArrayList<>();

  /** Creates the contract. */
  protected AggregateContractSupport() {}

  /**
   * Opens the backend under test with {@code config} on the storage named {@code tablePrefix}. Two
   * calls with the same table prefix must open stores on the same storage (the contract writes with
   * one configuration and reads with another); each new prefix starts empty. The contract closes
   * every store after the test.
   *
   * @param config the configuration
   * @param tablePrefix a table prefix from {@link StoreContractSupport#uniqueTablePrefix()}
   * @return a store
   */
  protected abstract EventStore openStore(EventStoreConfig config, String tablePrefix);

  /**
   * The backend's snapshot store for {@code store}, a store {@link #openStore} returned.
   *
   * @param store the store
   * @return its snapshot store
   */
  protected abstract SnapshotStore openSnapshotStore(EventStore store);

  /** Closes every store this test opened, newest first. */
  @AfterEach
  protected final void closeAggregateContractStores() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    opened.clear();
  }

  /** Opens a store with {@code config} on new, empty storage and closes it after the test. */
  protected final EventStore open(EventStoreConfig config) {
    return open(config, StoreContractSupport.uniqueTablePrefix());
  }

  /** Opens a store with {@code config} on the storage named {@code tablePrefix} and closes it after the test. */
  protected final EventStore open(EventStoreConfig config, String tablePrefix) {
    EventStore store = openStore(config, tablePrefix);
    opened.add(store);
    return store;
  }

  /** A new store on an empty set of tables with today's event types. */
  protected final EventStore newStore() {
    return open(freshConfig());
  }

  /** The config-value event types. */
  protected static EventStoreConfig freshConfig() {
    return EventStoreConfig.DEFAULT.withEventTypes(ConfigValueModel.TYPES);
  }

  /** The config-value repository on {@code store}. */
  protected static AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values(EventStore store, RepositoryConfig config) {
    return AggregateRepository.of(store, new ConfigValueAggregate(), config);
  }

  /** Part of the global log of {@code store}, read and closed. */
  protected static List<RecordedEvent> log(EventStore store, LogQuery query) {
    try (Stream<RecordedEvent> events = store.readAll(query)) {
      return events.toList();
    }
  }
}
