package dev.fabula.examples.configservice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.AggregateRepository;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.HistoryEntry;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.examples.configservice.ConfigCommand.DeleteValue;
import dev.fabula.examples.configservice.ConfigCommand.SetValue;
import dev.fabula.examples.configservice.ConfigEvent.ValueCreated;
import dev.fabula.examples.configservice.ConfigEvent.ValueDeleted;
import dev.fabula.examples.configservice.ConfigEvent.ValueUpdated;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projections;
import dev.fabula.jdbc.JdbcSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The config service without HTTP: commands go through the {@link ConfigAggregate} and are stored as
 * events; current values are read from the in-memory {@link ConfigReadModel}; history and time
 * travel are read from the event store; the {@link AuditTrail} records every change asynchronously.
 *
 * <p>Writes read their own writes: {@link #set} and {@link #delete} return once the read model has
 * folded the stream's version they decided on. Thread-safe. {@link #close()} stops the audit worker
 * and the read model, then closes the store.
 */
public final class ConfigService implements AutoCloseable {

  /** How long a write waits for the read model before it gives up (the write itself is stored). */
  public static final Duration READ_YOUR_WRITES_TIMEOUT = Duration.ofSeconds(10);

  /** A value's state is snapshotted every this many events. */
  public static final int SNAPSHOT_EVERY = 100;

  /**
   * One step of a value's history.
   *
   * @param version the stream version
   * @param at when it was recorded
   * @param change {@code created}, {@code updated} or {@code deleted}
   * @param oldValue the value before (null after a creation)
   * @param newValue the value after (null after a deletion)
   * @param actor who made the change, if the client said
   */
  public record Change(
      long version, Instant at, String change, @Nullable JsonNode oldValue, @Nullable JsonNode newValue,
      @Nullable String actor) {}

  private final JdbcEventStore store;
  private final AggregateRepository<ConfigState, ConfigCommand, ConfigEvent> values;
  private final ConfigReadModel readModel;
  private final AuditTrail audit;

  private ConfigService(JdbcEventStore store, String tablePrefix) {
    this.store = store;
    // Many clients may write one name at once without If-Match: retry the load-decide-append loop
    // more often than the default before answering 503. A snapshot every 100 events keeps the load
    // of a value that changes often to a few rows.
    this.values = AggregateRepository.of(store, new ConfigAggregate(), RepositoryConfig.DEFAULT
        .withMaxAttempts(100)
        .withSnapshots(JdbcSnapshotStore.open(store), SnapshotPolicy.everyEvents(SNAPSHOT_EVERY)));
    ConfigReadModel model = ConfigReadModel.start(store);
    try {
      this.audit = AuditTrail.start(store, tablePrefix);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    this.readModel = model;
  }

  /**
   * Creates or upgrades the service's tables: the event store's and the audit table. Run it once per
   * release, before {@link #open}, as a role that may run DDL (the schema owner on PostgreSQL); the
   * service itself then needs only row privileges. Safe to run again.
   */
  public static void migrate(Settings settings) {
    JdbcConfig tables = JdbcConfig.DEFAULT.withTablePrefix(settings.tablePrefix());
    JdbcEventStore.migrate(settings.jdbcUrl(), tables); // the store's tables, snapshots' and projections' too
    try (JdbcEventStore store = JdbcEventStore.open(settings.jdbcUrl(), EventStoreConfig.DEFAULT, tables)) {
      store.jdbi().useHandle(handle -> AuditTrail.createTable(handle, settings.tablePrefix()));
    }
  }

  /**
   * Opens the event store, rebuilds the read model from it and starts the audit worker. Runs no
   * DDL: the tables must exist ({@link #migrate}).
   */
  public static ConfigService open(Settings settings) {
    EventTypes types = EventTypes.builder().register(ConfigEvent.class).build();
    JdbcEventStore store = JdbcEventStore.open(settings.jdbcUrl(),
        EventStoreConfig.DEFAULT.withEventTypes(types).withClock(settings.clock()),
        JdbcConfig.DEFAULT.withTablePrefix(settings.tablePrefix()));
    try {
      return new ConfigService(store, settings.tablePrefix());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Sets {@code name} to {@code value} and waits until the read model shows it.
   *
   * @param actor who asks, recorded on the event; null if unknown
   * @return accepted (events and new version) or rejected with one of the codes of {@link ConfigAggregate}
   * @throws dev.fabula.ConcurrencyException if every retry met another writer
   */
  public CommandResult<ConfigEvent> set(String name, JsonNode value, Precondition precondition, @Nullable String actor) {
    return handle(new SetValue(name, value, precondition), actor);
  }

  /** Deletes the current value of {@code name} and waits until the read model no longer shows it. */
  public CommandResult<ConfigEvent> delete(String name, Precondition precondition, @Nullable String actor) {
    return handle(new DeleteValue(name, precondition), actor);
  }

  private CommandResult<ConfigEvent> handle(ConfigCommand command, @Nullable String actor) {
    CommandResult<ConfigEvent> result = values.handle(command.name(), command, CommandMetadata.create().withActor(actor));
    if (result instanceof CommandResult.Accepted<ConfigEvent> accepted && accepted.position() > 0) {
      readModel.awaitPosition(accepted.position(), READ_YOUR_WRITES_TIMEOUT); // read your writes
    }
    return result;
  }

  /** The current value of {@code name}, from the read model. */
  public Optional<ConfigReadModel.Entry> get(String name) {
    return readModel.get(name);
  }

  /** Every current value sorted by name, from the read model. */
  public List<ConfigReadModel.Entry> all() {
    return readModel.all();
  }

  /** Every change of {@code name}, oldest first; empty if it was never set. */
  public List<Change> history(String name) {
    return values.history(name).stream().map(ConfigService::change).toList();
  }

  private static Change change(HistoryEntry<ConfigState, ConfigEvent> entry) {
    ConfigEvent event = entry.event();
    String actor = entry.recorded().metadata().actor();
    if (event instanceof ValueCreated created) {
      return new Change(entry.version(), entry.recordedAt(), "created", null, created.value(), actor);
    }
    if (event instanceof ValueUpdated updated) {
      return new Change(entry.version(), entry.recordedAt(), "updated", updated.oldValue(), updated.newValue(), actor);
    }
    ValueDeleted deleted = (ValueDeleted) event;
    return new Change(entry.version(), entry.recordedAt(), "deleted", deleted.oldValue(), null, actor);
  }

  /** The state of {@code name} as of {@code instant}: after every change recorded at or before it. */
  public ConfigState at(String name, Instant instant) {
    return values.loadAsOf(name, instant).state();
  }

  /** The in-memory read model. */
  public ConfigReadModel readModel() {
    return readModel;
  }

  /** The audit worker. */
  public AuditTrail audit() {
    return audit;
  }

  /** The projections of the store, the audit worker's among them, for operators. */
  public Projections projections() {
    return audit.projections();
  }

  /** The event store. */
  public JdbcEventStore store() {
    return store;
  }

  /** Stops the audit worker and the read model and closes the store. */
  @Override
  public void close() {
    try {
      audit.close();
    } finally {
      try {
        readModel.close();
      } finally {
        store.close();
      }
    }
  }
}
