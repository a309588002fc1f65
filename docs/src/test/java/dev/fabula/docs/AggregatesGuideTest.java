package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.Decision;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.HistoryEntry;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.Rejection;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.UpcastException;
import dev.fabula.Upcaster;
import dev.fabula.Upcasters;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.testkit.AggregateFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/aggregates.md, run on SQLite files. */
class AggregatesGuideTest {

  // snippet:domain
  sealed interface ConfigCommand {}
  record SetValue(String value) implements ConfigCommand {}
  record DeleteValue() implements ConfigCommand {}

  sealed interface ConfigEvent {}
  @EventType(value = "config-value-set", version = 3)
  record ValueSet(String value, boolean secret) implements ConfigEvent {}
  @EventType("config-value-deleted")
  record ValueDeleted(String previousValue) implements ConfigEvent {}

  enum Status { ABSENT, SET, DELETED }
  record ConfigValue(Status status, @Nullable String value) {}
  // end

  // snippet:aggregate
  static class ConfigValueAggregate implements Aggregate<ConfigValue, ConfigCommand, ConfigEvent> {
    public String category() { return "config"; }
    public Class<ConfigValue> stateType() { return ConfigValue.class; }
    public Class<ConfigEvent> eventType() { return ConfigEvent.class; }

    public ConfigValue initialState() {
      return new ConfigValue(Status.ABSENT, null);
    }

    public ConfigValue evolve(ConfigValue state, ConfigEvent event) {
      if (event instanceof ValueSet set) {
        return new ConfigValue(Status.SET, set.value());
      }
      if (event instanceof ValueDeleted) {
        return new ConfigValue(Status.DELETED, null);
      }
      throw new IllegalArgumentException("unknown event " + event);
    }

    public Decision<ConfigEvent> decide(ConfigValue state, ConfigCommand command) {
      if (command instanceof SetValue set) {
        if (state.status() == Status.DELETED) {
          return Decision.reject("value-deleted", "the value was deleted; it cannot be set again");
        }
        if (set.value().equals(state.value())) {
          return Decision.accept(); // accepted, nothing changes
        }
        return Decision.accept(new ValueSet(set.value(), false));
      }
      if (command instanceof DeleteValue) {
        if (state.status() != Status.SET) {
          return Decision.reject("value-not-found", "there is no value to delete");
        }
        return Decision.accept(new ValueDeleted(state.value()));
      }
      throw new IllegalArgumentException("unknown command " + command);
    }
  }
  // end

  // snippet:upcasters
  /** v1 stored {"val": "x"}; v2 calls it "value". */
  static final class ValueSetV1ToV2 implements Upcaster {
    public String type() { return "config-value-set"; }
    public int fromVersion() { return 1; }

    public List<RawEvent> upcast(RawEvent event) {
      ObjectNode payload = event.payload();
      payload.set("value", payload.remove("val"));
      return List.of(new RawEvent("config-value-set", 2, payload));
    }
  }

  /** v3 added "secret"; every older value was not. */
  static final Upcaster VALUE_SET_V2_TO_V3 =
      Upcaster.transform("config-value-set", 2, payload -> payload.put("secret", false));
  // end

  // snippet:split
  /** An old bulk import held several values in one event; it now reads as one ValueSet each. */
  static final Upcaster SPLIT_IMPORT = Upcaster.of("config-values-imported", 1, event -> {
    List<RawEvent> sets = new ArrayList<>();
    event.payload().get("values").forEach(value -> sets.add(new RawEvent("config-value-set", 3,
        JsonNodeFactory.instance.objectNode().put("value", value.asText()).put("secret", false))));
    return sets;
  });
  // end

  /** The v1 class as it was; only here to write old events. */
  @EventType(value = "config-value-set", version = 1)
  record ValueSetV1(String val) {}

  static final EventTypes TYPES = EventTypes.builder().register(ConfigEvent.class).build();

  @TempDir Path dir;
  private final List<EventStore> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(EventStore::close);
  }

  private JdbcEventStore open(String file, EventStoreConfig config) {
    JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve(file), config, TestTables.MIGRATING);
    stores.add(store);
    return store;
  }

  private JdbcEventStore open(String file) {
    return open(file, EventStoreConfig.DEFAULT.withEventTypes(TYPES));
  }

  @Test
  void handles_commands() {
    JdbcEventStore store = open("config.db");
    // snippet:repository
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values =
        AggregateRepository.of(store, new ConfigValueAggregate());

    CommandResult<ConfigEvent> result = values.handle("db-url", new SetValue("jdbc:sqlite:app.db"));
    // result.accepted() == true, result.events() == [ValueSet(...)], result.version() == 1

    AggregateState<ConfigValue> loaded = values.load("db-url"); // stream "config-db-url"
    // end
    assertThat(result.accepted()).isTrue();
    assertThat(result.events()).containsExactly(new ValueSet("jdbc:sqlite:app.db", false));
    assertThat(result.version()).isEqualTo(1);
    assertThat(loaded.state().value()).isEqualTo("jdbc:sqlite:app.db");

    values.handle("db-url", new DeleteValue());
    // snippet:rejection
    CommandResult<ConfigEvent> again = values.handle("db-url", new SetValue("jdbc:postgresql://db/app"));
    if (!again.accepted()) {
      Rejection why = again.rejection().orElseThrow(); // value-deleted: "the value was deleted; …"
    }
    // end
    assertThat(again.rejection()).map(Rejection::code).hasValue("value-deleted");
    assertThat(store.streamInfo("config-db-url").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void serialises_the_writers_of_a_hot_aggregate() throws Exception {
    JdbcEventStore store = open("hot.db");
    // snippet:hot-aggregate
    var values = AggregateRepository.of(store, new ConfigValueAggregate(), RepositoryConfig.DEFAULT
        .withSerializedWriters(true)                                      // commands on one stream take turns
        .withRetryBackoff(Duration.ofMillis(2), Duration.ofMillis(100))); // the default backoff
    // end
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> attempts = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        attempts.add(threads.submit(() -> {
          int sum = 0;
          for (int i = 0; i < 5; i++) {
            sum += values.handle("hot", new SetValue("t" + thread + "-" + i)).attempts();
          }
          return sum;
        }));
      }
      for (Future<Integer> f : attempts) {
        assertThat(f.get(1, TimeUnit.MINUTES)).as("attempts of 5 commands").isEqualTo(5);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(store.streamInfo("config-hot").orElseThrow().version()).isEqualTo(40);
  }

  @Test
  void a_command_sent_again_with_its_command_id_is_stored_once() {
    JdbcEventStore store = open("config.db");
    var values = AggregateRepository.of(store, new ConfigValueAggregate());
    String messageId = "message-42";
    List<Long> versions = new ArrayList<>();
    for (int delivery = 1; delivery <= 2; delivery++) { // the message arrives twice
      // snippet:same-command-id
      CommandMetadata command = CommandMetadata.of(messageId); // the id the command arrived with
      CommandResult<ConfigEvent> result;
      try {
        result = values.handle("db-url", new SetValue("jdbc:sqlite:app.db"), command);
      } catch (AppendOutcomeUnknownException e) {
        // The database stayed out of reach: the events may be stored or not. Send the command
        // again later with the SAME command id; its events get the same ids and are stored once.
        result = values.handle("db-url", new SetValue("jdbc:sqlite:app.db"), command);
      }
      // end
      versions.add(result.version());
    }
    assertThat(versions).containsExactly(1L, 1L);
    assertThat(store.readStream("config-db-url")).hasSize(1);
  }

  @Test
  void passes_correlation_and_causation_to_the_events() {
    JdbcEventStore store = open("config.db");
    var values = AggregateRepository.of(store, new ConfigValueAggregate(),
        // snippet:retries
        RepositoryConfig.DEFAULT.withMaxAttempts(20) // default 10
        // end
    );
    String requestId = "request-17";
    // snippet:metadata
    values.handle("db-url", new SetValue("jdbc:sqlite:app.db"),
        CommandMetadata.of(requestId).withActor("alice"));

    Metadata metadata = store.readStream("config-db-url").get(0).metadata();
    // metadata.causationId() == "request-17", metadata.correlationId() == "request-17",
    // metadata.actor() == "alice"
    // end
    assertThat(metadata.causationId()).isEqualTo("request-17");
    assertThat(metadata.correlationId()).isEqualTo("request-17");
    assertThat(metadata.actor()).isEqualTo("alice");
    RecordedEvent event = store.readStream("config-db-url").get(0);
    // snippet:caused-by
    values.handle("mirror", new SetValue("jdbc:sqlite:app.db"), CommandMetadata.causedBy(event));
    // end
    assertThat(store.readStream("config-mirror").get(0).metadata().correlationId()).isEqualTo("request-17");
  }

  @Test
  void loads_from_snapshots() {
    JdbcEventStore store = open("config.db");
    // snippet:snapshots
    RepositoryConfig config = RepositoryConfig.DEFAULT
        .withSnapshots(JdbcSnapshotStore.open(store), SnapshotPolicy.everyEvents(100));
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values =
        AggregateRepository.of(store, new ConfigValueAggregate(), config);
    // end
    for (int i = 1; i <= 250; i++) {
      values.handle("db-url", new SetValue("v" + i));
    }
    assertThat(JdbcSnapshotStore.open(store).load(null, "config-db-url").orElseThrow().version()).isEqualTo(200);
    assertThat(values.load("db-url").state().value()).isEqualTo("v250");

    // snippet:predicate
    SnapshotPolicy policy = candidate -> candidate.eventsSinceSnapshot() >= 500
        || candidate.state() instanceof ConfigValue value && value.status() == Status.DELETED;
    // end
    var deleting = AggregateRepository.of(store, new ConfigValueAggregate(),
        RepositoryConfig.DEFAULT.withSnapshots(JdbcSnapshotStore.open(store), policy));
    deleting.handle("db-url", new DeleteValue());
    assertThat(JdbcSnapshotStore.open(store).load(null, "config-db-url").orElseThrow().version()).isEqualTo(251);

    // snippet:state-version
    class ConfigValueAggregateV2 extends ConfigValueAggregate {
      @Override
      public int stateSchemaVersion() {
        return 2; // ConfigValue changed shape: snapshots of version 1 are ignored and rebuilt
      }
    }
    // end
    var v2 = AggregateRepository.of(store, new ConfigValueAggregateV2(), config);
    assertThat(v2.load("db-url").state().status()).isEqualTo(Status.DELETED);
    assertThat(JdbcSnapshotStore.open(store).load(null, "config-db-url").orElseThrow().stateSchemaVersion()).isEqualTo(2);
  }

  @Test
  void reads_old_events_through_upcasters() {
    open("old.db", EventStoreConfig.DEFAULT.withEventTypes(EventTypes.builder().register(ValueSetV1.class).build()))
        .append("config-db-url", ExpectedVersion.noStream(), List.of(EventData.of(new ValueSetV1("jdbc:old"))));
    // snippet:register
    EventStoreConfig config = EventStoreConfig.DEFAULT
        .withEventTypes(TYPES)
        .withUpcasters(Upcasters.of(new ValueSetV1ToV2(), VALUE_SET_V2_TO_V3));
    // end
    JdbcEventStore store = open("old.db", config);

    RecordedEvent read = store.readStream("config-db-url").get(0);
    assertThat(read.schemaVersion()).isEqualTo(3);
    assertThat(store.types().decode(read)).isEqualTo(new ValueSet("jdbc:old", false));
    try (Stream<RecordedEvent> log = store.readAll(LogQuery.all())) {
      assertThat(log.map(e -> store.types().decode(e))).containsExactly(new ValueSet("jdbc:old", false));
    }
    assertThat(AggregateRepository.of(store, new ConfigValueAggregate()).load("db-url").state().value()).isEqualTo("jdbc:old");
  }

  @Test
  void splits_old_events() {
    JdbcEventStore store = open("config.db", EventStoreConfig.DEFAULT.withEventTypes(TYPES).withUpcasters(Upcasters.of(SPLIT_IMPORT)));
    ObjectNode imported = JsonNodeFactory.instance.objectNode();
    imported.putArray("values").add("a").add("b");
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(EventData.json("config-values-imported", 1, imported)));

    assertThat(store.readStream("config-db-url")).extracting(RecordedEvent::streamVersion).containsExactly(1L, 1L);
    assertThat(AggregateRepository.of(store, new ConfigValueAggregate()).load("db-url").state().value()).isEqualTo("b");
  }

  @Test
  void names_the_event_an_upcaster_failed_on() {
    Upcaster broken = Upcaster.transform("config-value-set", 1, payload -> {
      throw new IllegalStateException("no value");
    });
    JdbcEventStore store = open("config.db", EventStoreConfig.DEFAULT.withEventTypes(TYPES).withUpcasters(Upcasters.of(broken)));
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(EventData.json("config-value-set", 1,
        JsonNodeFactory.instance.objectNode().put("val", "x"))));

    assertThatThrownBy(() -> store.readStream("config-db-url"))
        .isInstanceOf(UpcastException.class)
        .hasMessage("upcaster Upcaster.transform(config-value-set v1 -> v2) failed on the event at position 1 "
            + "(stream 'config-db-url', version 1, type config-value-set v1): it threw java.lang.IllegalStateException: "
            + "no value; the stored event is unchanged: fix or remove the upcaster and read again");
  }

  @Test
  void discovers_upcasters_when_asked() {
    // snippet:discovery
    EventStoreConfig config = EventStoreConfig.DEFAULT
        .withEventTypes(TYPES)
        .withUpcasterDiscovery(true); // adds META-INF/services/dev.fabula.Upcaster entries, logged at INFO
    // end
    JdbcEventStore plain = open("prices.db");
    plain.append("price-7", ExpectedVersion.noStream(), List.of(EventData.json("price-set", 1,
        JsonNodeFactory.instance.objectNode().put("price", "12.34"))));
    assertThat(plain.readStream("price-7").get(0).schemaVersion()).as("read without discovery").isEqualTo(1);

    // SpiGuideTest.PriceInCents is listed in META-INF/services/dev.fabula.Upcaster of these tests.
    RecordedEvent read = open("prices.db", config).readStream("price-7").get(0);
    assertThat(read.schemaVersion()).isEqualTo(2);
    assertThat(read.payload().toString()).isEqualTo("{\"price\":1234}");
  }

  // snippet:service
  /** A user's config service: set, delete, read, history and time travel. */
  static final class ConfigService {
    record Change(Instant at, long version, Optional<String> value) {}

    private final AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values;

    ConfigService(EventStore store) {
      this.values = AggregateRepository.of(store, new ConfigValueAggregate());
    }

    CommandResult<ConfigEvent> set(String name, String value) {
      return values.handle(name, new SetValue(value));
    }

    Optional<String> valueAt(String name, Instant instant) {
      return Optional.ofNullable(values.loadAsOf(name, instant).state().value());
    }

    Optional<String> valueAtVersion(String name, long version) {
      return Optional.ofNullable(values.loadAtVersion(name, version).state().value());
    }

    List<Change> history(String name) {
      return values.history(name).stream()
          .map((HistoryEntry<ConfigValue, ConfigEvent> h) ->
              new Change(h.recordedAt(), h.version(), Optional.ofNullable(h.state().value())))
          .toList();
    }
  }
  // end

  @Test
  void travels_in_time() {
    Instant t0 = Instant.parse("2024-03-01T09:00:00Z");
    AtomicReference<Instant> now = new AtomicReference<>(t0);
    Clock clock = new Clock() {
      public Instant instant() { return now.get(); }
      public ZoneId getZone() { return ZoneOffset.UTC; }
      public Clock withZone(ZoneId zone) { return this; }
    };
    ConfigService service = new ConfigService(open("config.db", EventStoreConfig.DEFAULT.withEventTypes(TYPES).withClock(clock)));
    service.set("db-url", "jdbc:sqlite:old.db");
    now.set(t0.plus(Duration.ofDays(1)));
    service.set("db-url", "jdbc:postgresql://db/app");

    assertThat(service.valueAt("db-url", t0.plus(Duration.ofHours(12)))).hasValue("jdbc:sqlite:old.db");
    assertThat(service.valueAtVersion("db-url", 2)).hasValue("jdbc:postgresql://db/app");
    assertThat(service.history("db-url")).containsExactly(
        new ConfigService.Change(t0, 1, Optional.of("jdbc:sqlite:old.db")),
        new ConfigService.Change(t0.plus(Duration.ofDays(1)), 2, Optional.of("jdbc:postgresql://db/app")));
  }

  // snippet:fixture
  AggregateFixture<ConfigValue, ConfigCommand, ConfigEvent> fixture =
      AggregateFixture.inMemory(new ConfigValueAggregate(), TYPES);

  @Test
  void setting_a_deleted_value_is_rejected() {
    fixture.given(new ValueSet("a", false), new ValueDeleted("a"))
        .when(new SetValue("b"))
        .thenRejected("value-deleted");
  }

  @Test
  void setting_a_value_records_it() {
    fixture.given(new ValueSet("a", false))
        .when(new SetValue("b"))
        .then(new ValueSet("b", false));
  }
  // end

  @Test
  void runs_the_fixture_on_a_real_backend() {
    // snippet:fixture-on
    AggregateFixture<ConfigValue, ConfigCommand, ConfigEvent> onSqlite =
        AggregateFixture.of(open("fixture.db"), new ConfigValueAggregate());
    // end
    onSqlite.given().when(new DeleteValue()).thenRejected("value-not-found");
  }
}
