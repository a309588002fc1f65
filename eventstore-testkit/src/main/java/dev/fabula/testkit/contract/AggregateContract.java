package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.HistoryEntry;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.UpcastException;
import dev.fabula.Upcaster;
import dev.fabula.Upcasters;
import dev.fabula.spi.Snapshot;
import dev.fabula.spi.SnapshotStore;
import dev.fabula.testkit.AggregateFixture;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigCommand;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigEvent;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValue;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValueAggregate;
import dev.fabula.testkit.contract.ConfigValueModel.DeleteValue;
import dev.fabula.testkit.contract.ConfigValueModel.SetValue;
import dev.fabula.testkit.contract.ConfigValueModel.ValueDeleted;
import dev.fabula.testkit.contract.ConfigValueModel.ValueSet;
import dev.fabula.testkit.contract.ConfigValueModel.ValueSetV1;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What aggregates, snapshots, upcasters and time travel must do on a backend: the config-value
 * aggregate's rules through {@link AggregateFixture}, exactly-once command handling with 16 threads
 * on one aggregate, old events read through a chain of upcasters on every read path, the backend's
 * snapshot store, and loads as of a version or a time.
 *
 * <p>A backend's subclass supplies stores and its snapshot store:
 *
 * <pre>{@code
 * class AggregateSqliteTest extends AggregateContract {
 *   @TempDir static Path dir;
 *   protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
 *     return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("events.db"), config,
 *         JdbcConfig.DEFAULT.withTablePrefix(tablePrefix));
 *   }
 *   protected SnapshotStore openSnapshotStore(EventStore store) {
 *     return JdbcSnapshotStore.open((JdbcEventStore) store);
 *   }
 * }
 * }</pre>
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class AggregateContract {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

  private final List<EventStore> opened = new ArrayList<>();

  /** Creates the contract. */
  protected AggregateContract() {}

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

  @AfterEach
  final void closeAggregateContractStores() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    opened.clear();
  }

  private EventStore open(EventStoreConfig config) {
    return open(config, StoreContractSupport.uniqueTablePrefix());
  }

  private EventStore open(EventStoreConfig config, String tablePrefix) {
    EventStore store = openStore(config, tablePrefix);
    opened.add(store);
    return store;
  }

  /** A new store on an empty set of tables with today's event types. */
  private EventStore newStore() {
    return open(freshConfig());
  }

  private static EventStoreConfig freshConfig() {
    return EventStoreConfig.DEFAULT.withEventTypes(ConfigValueModel.TYPES);
  }

  private static AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values(EventStore store, RepositoryConfig config) {
    return AggregateRepository.of(store, new ConfigValueAggregate(), config);
  }

  private static List<RecordedEvent> log(EventStore store, LogQuery query) {
    try (Stream<RecordedEvent> events = store.readAll(query)) {
      return events.toList();
    }
  }

  // ---- the config value's rules ---------------------------------------------------------------

  private AggregateFixture<ConfigValue, ConfigCommand, ConfigEvent> fixture() {
    return AggregateFixture.of(newStore(), new ConfigValueAggregate());
  }

  @Test
  void setting_a_value_of_a_new_config_value_records_it_at_version_1() {
    fixture().given()
        .when(new SetValue("a"))
        .then(new ValueSet("a", false))
        .thenState(new ConfigValue(ConfigValue.Status.SET, "a"));
  }

  @Test
  void setting_another_value_records_it_and_the_version_increases_with_every_event() {
    var then = fixture().given(new ValueSet("a", false), new ValueSet("b", false))
        .when(new SetValue("c"))
        .then(new ValueSet("c", false));

    assertThat(then.result().version()).isEqualTo(3);
  }

  @Test
  void setting_the_value_it_already_has_changes_nothing() {
    fixture().given(new ValueSet("a", false))
        .when(new SetValue("a"))
        .then();
  }

  @Test
  void deleting_a_set_value_records_the_deletion() {
    fixture().given(new ValueSet("a", false))
        .when(new DeleteValue())
        .then(new ValueDeleted("a"))
        .thenState(state -> assertThat(state.status()).isEqualTo(ConfigValue.Status.DELETED));
  }

  @Test
  void setting_a_deleted_value_is_rejected() {
    fixture().given(new ValueSet("a", false), new ValueDeleted("a"))
        .when(new SetValue("b"))
        .thenRejected("value-deleted");
  }

  @Test
  void deleting_a_value_that_does_not_exist_is_rejected() {
    var fixture = fixture();
    fixture.given()
        .when(new DeleteValue())
        .thenRejected("value-not-found");
    fixture.given(new ValueSet("a", false), new ValueDeleted("a"))
        .when(new DeleteValue())
        .thenRejected("value-not-found");
  }

  @Test
  void the_events_of_a_command_carry_its_id_as_causation_and_its_correlation_id() {
    EventStore store = newStore();

    values(store, RepositoryConfig.DEFAULT).handle("db-url", new SetValue("a"),
        CommandMetadata.of("request-1").withCorrelationId("workflow-1").withActor("alice"));

    Metadata metadata = store.readStream("config-db-url").get(0).metadata();
    assertThat(metadata.causationId()).isEqualTo("request-1");
    assertThat(metadata.correlationId()).isEqualTo("workflow-1");
    assertThat(metadata.actor()).isEqualTo("alice");
  }

  @Test
  void a_command_handled_in_a_unit_of_work_commits_and_rolls_back_with_it() {
    EventStore store = newStore();
    var values = values(store, RepositoryConfig.DEFAULT);
    CommandMetadata metadata = CommandMetadata.create();

    CommandResult<ConfigEvent> set = store.inTransaction(tx -> {
      tx.append("audit-1", ExpectedVersion.noStream(), List.of(EventData.json("audited", 1, JSON.objectNode().put("of", "db-url"))));
      return values.handle(tx, "db-url", new SetValue("a"), metadata);
    });
    assertThat(set).isInstanceOf(CommandResult.Accepted.class);
    assertThat(((CommandResult.Accepted<ConfigEvent>) set).position()).isEqualTo(store.headPosition());
    assertThat(values.load("db-url").state()).isEqualTo(new ConfigValue(ConfigValue.Status.SET, "a"));
    assertThat(store.readStream("audit-1")).hasSize(1);

    assertThatThrownBy(() -> store.inTransaction(tx -> {
      values.handle(tx, "db-url", new SetValue("b"), metadata);
      throw new IllegalStateException("the unit of work fails after the command");
    })).hasMessageContaining("the unit of work fails");
    assertThat(values.load("db-url").version()).as("rolled back with the unit of work").isEqualTo(1);


    CommandResult<ConfigEvent> rejected = store.inTransaction(tx -> values.handle(tx, "nope", new DeleteValue(), metadata));
    assertThat(rejected).isInstanceOf(CommandResult.Rejected.class);
  }

  // ---- concurrency --------------------------------------------------------------------------

  @Test
  void sixteen_threads_commanding_one_aggregate_apply_every_command_exactly_once() throws Exception {
    int threads = 16;
    int commandsPerThread = 10;
    EventStore store = newStore();
    var values = values(store, RepositoryConfig.DEFAULT.withMaxAttempts(RepositoryConfig.MAX_ATTEMPTS_LIMIT));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> accepted = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        accepted.add(pool.submit(() -> {
          start.await();
          int count = 0;
          for (int i = 0; i < commandsPerThread; i++) {
            CommandResult<ConfigEvent> result = values.handle("shared", new SetValue("t" + thread + "-" + i));
            count += result.accepted() ? 1 : 0;
          }
          return count;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : accepted) {
        total += f.get(2, TimeUnit.MINUTES);
      }

      assertThat(total).as("accepted commands").isEqualTo(threads * commandsPerThread);
      assertThat(values.load("shared").version()).as("final version").isEqualTo(total);
      List<String> written = new ArrayList<>();
      store.readStream("config-shared").forEach(e -> written.add(e.payload().get("value").asText()));
      assertThat(new HashSet<>(written)).as("each command's value, once").hasSize(total).hasSameSizeAs(written);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- upcasters ----------------------------------------------------------------------------

  @Test
  void events_written_by_an_old_v1_class_load_as_v3_through_two_upcasters_on_every_read_path() {
    EventStoreConfig config = freshConfig();
    String prefix = StoreContractSupport.uniqueTablePrefix();
    EventStore old = open(config.withEventTypes(ConfigValueModel.V1_TYPES), prefix);
    old.append("config-db-url", ExpectedVersion.noStream(), List.of(EventData.of(new ValueSetV1("jdbc:old"))));
    old.append("config-other", ExpectedVersion.noStream(), List.of(EventData.of(new ValueSetV1("x"))));

    EventStore today = open(config.withUpcasters(Upcasters.of(ConfigValueModel.V1_TO_V2, ConfigValueModel.V2_TO_V3)), prefix);

    ValueSet expected = new ValueSet("jdbc:old", false);
    RecordedEvent read = today.readStream("config-db-url").get(0);
    assertThat(read.schemaVersion()).isEqualTo(3);
    assertThat(today.types().decode(read)).isEqualTo(expected);
    assertThat(log(today, LogQuery.all())).extracting(e -> today.types().decode(e))
        .containsExactly(expected, new ValueSet("x", false));
    assertThat(log(today, LogQuery.all().types(Set.of("config-value-set")).limit(1)))
        .extracting(e -> today.types().decode(e)).containsExactly(expected);
    AggregateState<ConfigValue> loaded = values(today, RepositoryConfig.DEFAULT).load("db-url");
    assertThat(loaded.state()).isEqualTo(new ConfigValue(ConfigValue.Status.SET, "jdbc:old"));
    assertThat(loaded.version()).isEqualTo(1);
    assertThat(values(today, RepositoryConfig.DEFAULT).handle("db-url", new DeleteValue()).events())
        .containsExactly(new ValueDeleted("jdbc:old"));
  }

  @Test
  void a_failing_upcaster_names_the_events_position_stream_and_type_and_leaves_the_store_untouched() {
    EventStoreConfig config = freshConfig();
    String prefix = StoreContractSupport.uniqueTablePrefix();
    EventStore old = open(config.withEventTypes(ConfigValueModel.V1_TYPES), prefix);
    old.append("config-ok", ExpectedVersion.noStream(), List.of(EventData.of(new ValueSetV1("fine"))));
    old.append("config-db-url", ExpectedVersion.noStream(), List.of(EventData.of(new ValueSetV1("x"))));
    long position = old.readStream("config-db-url").get(0).position();
    Upcaster broken = Upcaster.transform("config-value-set", 1, payload -> {
      payload.removeAll();
      throw new IllegalStateException("broken upcaster");
    });
    EventStore today = open(config.withUpcasters(Upcasters.of(broken)), prefix);

    assertThatThrownBy(() -> today.readStream("config-db-url"))
        .isInstanceOf(UpcastException.class)
        .hasMessageContaining("position " + position).hasMessageContaining("'config-db-url'")
        .hasMessageContaining("config-value-set v1").hasMessageContaining("broken upcaster");
    assertThatThrownBy(() -> log(today, LogQuery.all())).isInstanceOf(UpcastException.class);

    RecordedEvent stored = old.readStream("config-db-url").get(0);
    assertThat(stored.schemaVersion()).isEqualTo(1);
    assertThat(stored.payload()).isEqualTo(JSON.objectNode().put("val", "x"));
  }

  // ---- snapshots ----------------------------------------------------------------------------

  @Test
  void the_snapshot_store_keeps_the_newest_snapshot_and_replaces_one_of_another_state_schema() {
    EventStore store = newStore();
    SnapshotStore snapshots = openSnapshotStore(store);
    store.append("config-s", ExpectedVersion.noStream(), List.of(EventData.of(new ValueSet("a", false))));
    Instant at = Instant.parse("2024-03-01T09:00:00.123456Z");

    assertThat(snapshots.load("config-s")).isEmpty();
    snapshots.save(new Snapshot("config-s", 10, 1, JSON.objectNode().put("n", 10), at));
    snapshots.save(new Snapshot("config-s", 5, 1, JSON.objectNode().put("n", 5), at));
    assertThat(snapshots.load("config-s")).hasValue(new Snapshot("config-s", 10, 1, JSON.objectNode().put("n", 10), at));

    snapshots.save(new Snapshot("config-s", 3, 2, JSON.objectNode().put("n", 3), at));
    assertThat(snapshots.load("config-s")).map(Snapshot::version).hasValue(3L);

    snapshots.delete("config-s");
    assertThat(snapshots.load("config-s")).isEmpty();
  }

  @Test
  void loading_with_a_snapshot_starts_from_it_and_replays_only_later_events() {
    EventStore store = newStore();
    SnapshotStore snapshots = openSnapshotStore(store);
    var values = values(store, RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(10)));
    for (int i = 1; i <= 25; i++) {
      values.handle("db-url", new SetValue("v" + i));
    }
    assertThat(snapshots.load("config-db-url")).map(Snapshot::version).hasValue(20L);
    // A snapshot that differs from what the events say shows that loads start from it.
    snapshots.save(new Snapshot("config-db-url", 25, 1,
        JSON.objectNode().put("status", "SET").put("value", "from the snapshot"), Instant.now()));

    assertThat(values.load("db-url").state().value()).isEqualTo("from the snapshot");
    values.handle("db-url", new SetValue("v26"));
    AggregateState<ConfigValue> loaded = values.load("db-url");
    assertThat(loaded.state().value()).isEqualTo("v26");
    assertThat(loaded.version()).isEqualTo(26);
  }

  @Test
  void a_snapshot_of_another_state_schema_version_is_ignored_and_rebuilt() {
    EventStore store = newStore();
    SnapshotStore snapshots = openSnapshotStore(store);
    values(store, RepositoryConfig.DEFAULT).handle("db-url", new SetValue("real"));
    snapshots.save(new Snapshot("config-db-url", 1, 7,
        JSON.objectNode().put("status", "SET").put("value", "from an old state class"), Instant.now()));

    var values = values(store, RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(1)));

    assertThat(values.load("db-url").state().value()).isEqualTo("real");
    assertThat(snapshots.load("config-db-url")).map(Snapshot::stateSchemaVersion).hasValue(1);
  }

  // ---- time travel --------------------------------------------------------------------------

  @Test
  void an_aggregate_loads_as_of_a_version_or_a_time_and_lists_its_history_with_timestamps() {
    AtomicReference<Instant> now = new AtomicReference<>(T0);
    EventStore store = open(freshConfig().withClock(new Clock() {
      @Override
      public Instant instant() {
        return now.get();
      }

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }
    }));
    var values = values(store, RepositoryConfig.DEFAULT);
    for (String v : List.of("a", "b", "c")) {
      values.handle("db-url", new SetValue(v));
      now.set(now.get().plus(Duration.ofHours(1)));
    }

    assertThat(values.loadAtVersion("db-url", 2).state().value()).isEqualTo("b");
    assertThat(values.loadAsOf("db-url", T0.plus(Duration.ofMinutes(90))).state().value()).isEqualTo("b");
    assertThat(values.loadAsOf("db-url", T0.minusSeconds(1)).version()).isZero();
    List<HistoryEntry<ConfigValue, ConfigEvent>> history = values.history("db-url");
    assertThat(history).extracting(HistoryEntry::recordedAt)
        .containsExactly(T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
    assertThat(history).extracting(h -> h.state().value()).containsExactly("a", "b", "c");
  }
}
