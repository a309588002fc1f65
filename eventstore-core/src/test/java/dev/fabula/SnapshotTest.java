package dev.fabula;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.example.ConfigValues;
import dev.fabula.example.ConfigValues.ConfigCommand;
import dev.fabula.example.ConfigValues.ConfigEvent;
import dev.fabula.example.ConfigValues.ConfigValue;
import dev.fabula.example.ConfigValues.ConfigValueAggregate;
import dev.fabula.example.ConfigValues.SetValue;
import dev.fabula.example.ConfigValues.ValueSet;
import dev.fabula.spi.Snapshot;
import dev.fabula.spi.SnapshotStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  private final EventStore memory = EventStore.inMemory(EventStoreConfig.DEFAULT.withEventTypes(ConfigValues.TYPES));
  private final RecordingStore store = new RecordingStore(memory);
  private final SnapshotStore snapshots = SnapshotStore.inMemory();

  @AfterEach
  void close() {
    store.close();
  }

  private AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> repository(SnapshotPolicy policy) {
    return repository(new ConfigValueAggregate(), policy);
  }

  private AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> repository(ConfigValueAggregate aggregate, SnapshotPolicy policy) {
    RepositoryConfig config = RepositoryConfig.DEFAULT.withSnapshots(snapshots, policy);
    return AggregateRepository.of(store, aggregate, config);
  }

  /** Appends {@code count} ValueSet events to the stream directly, in batches. */
  private void appendValues(String streamId, int count) {
    List<EventData> batch = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      batch.add(EventData.of(new ValueSet("v" + i, false)));
      if (batch.size() == 1000 || i == count) {
        store.append(streamId, ExpectedVersion.any(), batch);
        batch = new ArrayList<>();
      }
    }
  }

  @Test
  void commands_save_a_snapshot_every_n_events() {
    var values = repository(SnapshotPolicy.everyEvents(3));

    for (int i = 1; i <= 7; i++) {
      values.handle("db-url", new SetValue("v" + i));
      Optional<Snapshot> snapshot = snapshots.load(null, "config-db-url");
      assertThat(snapshot.map(Snapshot::version)).as("after event %d", i).isEqualTo(i < 3 ? Optional.empty() : Optional.of(i < 6 ? 3L : 6L));
    }
    Snapshot six = snapshots.load(null, "config-db-url").orElseThrow();
    assertThat(six.stateSchemaVersion()).isEqualTo(1);
    assertThat(six.state().get("value").asText()).isEqualTo("v6");
  }

  @Test
  void loading_with_a_snapshot_reads_only_the_events_after_it() {
    var values = repository(SnapshotPolicy.everyEvents(100));
    appendValues("config-db-url", 250);
    values.load("db-url"); // replays 250 events and saves a snapshot at 250
    appendValues("config-db-url", 5);
    store.reset();

    AggregateState<ConfigValue> loaded = values.load("db-url");

    assertThat(loaded.version()).isEqualTo(255);
    assertThat(loaded.state().value()).isEqualTo("v5");
    assertThat(store.reads).extracting(StreamRead::fromVersion).containsExactly(251L);
    assertThat(store.eventsRead).hasValue(5);
  }

  @Test
  void a_load_that_replays_a_long_stream_saves_a_snapshot_for_the_next_load() {
    var values = repository(SnapshotPolicy.everyEvents(100));
    appendValues("config-db-url", 2_500);

    values.load("db-url");

    assertThat(snapshots.load(null, "config-db-url")).map(Snapshot::version).hasValue(2_500L);
    store.reset();
    assertThat(values.load("db-url").state().value()).isEqualTo("v2500");
    assertThat(store.eventsRead).hasValue(0);
  }

  @Test
  void a_snapshot_of_another_state_schema_version_is_ignored_and_rebuilt() {
    repository(SnapshotPolicy.everyEvents(10)).handle("db-url", new SetValue("real"));
    snapshots.save(null, new Snapshot("config-db-url", 1, 1,
        JsonNodeFactory.instance.objectNode().put("status", "SET").put("value", "written by the old state class"), Instant.now()));
    ConfigValueAggregate newShape = new ConfigValueAggregate() {
      @Override
      public int stateSchemaVersion() {
        return 2;
      }
    };

    AggregateState<ConfigValue> loaded = repository(newShape, SnapshotPolicy.everyEvents(1)).load("db-url");

    assertThat(loaded.state().value()).isEqualTo("real");
    Snapshot rebuilt = snapshots.load(null, "config-db-url").orElseThrow();
    assertThat(rebuilt.stateSchemaVersion()).isEqualTo(2);
    assertThat(rebuilt.state().get("value").asText()).isEqualTo("real");
  }

  @Test
  void a_snapshot_that_does_not_decode_is_ignored() {
    repository(SnapshotPolicy.never()).handle("db-url", new SetValue("real"));
    snapshots.save(null, new Snapshot("config-db-url", 1, 1,
        JsonNodeFactory.instance.objectNode().put("status", "NO-SUCH-STATUS"), Instant.now()));

    assertThat(repository(SnapshotPolicy.never()).load("db-url").state().value()).isEqualTo("real");
  }

  @Test
  void a_predicate_policy_decides_with_the_candidate_state() {
    SnapshotPolicy whenLong = candidate ->
        candidate.state() instanceof ConfigValue value && value.value() != null && value.value().length() > 10;
    var values = repository(whenLong);

    values.handle("db-url", new SetValue("short"));
    assertThat(snapshots.load(null, "config-db-url")).isEmpty();
    values.handle("db-url", new SetValue("a rather long value"));
    assertThat(snapshots.load(null, "config-db-url")).map(Snapshot::version).hasValue(2L);
  }

  @Test
  void the_never_policy_saves_nothing_but_loads_still_use_existing_snapshots() {
    repository(SnapshotPolicy.everyEvents(1)).handle("db-url", new SetValue("a"));
    appendValues("config-db-url", 3);
    var values = repository(SnapshotPolicy.never());
    store.reset();

    assertThat(values.load("db-url").state().value()).isEqualTo("v3");
    assertThat(store.reads).extracting(StreamRead::fromVersion).containsExactly(2L);
    assertThat(snapshots.load(null, "config-db-url")).map(Snapshot::version).hasValue(1L);
  }

  @Test
  void a_failing_snapshot_store_never_fails_a_command_or_a_load() {
    SnapshotStore broken = new SnapshotStore() {
      @Override
      public Optional<Snapshot> load(String tenantId, String streamId) {
        throw new StoreUnavailableException("snapshot table is down", new RuntimeException());
      }

      @Override
      public void save(String tenantId, Snapshot snapshot) {
        throw new StoreUnavailableException("snapshot table is down", new RuntimeException());
      }

      @Override
      public void delete(String tenantId, String streamId) {}
    };
    var values = AggregateRepository.of(store, new ConfigValueAggregate(),
        RepositoryConfig.DEFAULT.withSnapshots(broken, SnapshotPolicy.everyEvents(1)));

    assertThat(values.handle("db-url", new SetValue("a")).accepted()).isTrue();
    assertThat(values.load("db-url").state().value()).isEqualTo("a");
  }

  @Test
  void time_travel_uses_a_snapshot_only_if_it_is_not_newer_than_the_version_asked_for() {
    var values = repository(SnapshotPolicy.everyEvents(5));
    for (int i = 1; i <= 7; i++) {
      values.handle("db-url", new SetValue("v" + i));
    }
    store.reset();

    assertThat(values.loadAtVersion("db-url", 3).state().value()).isEqualTo("v3");
    assertThat(store.reads).extracting(StreamRead::fromVersion).containsExactly(1L);
    store.reset();
    assertThat(values.loadAtVersion("db-url", 6).state().value()).isEqualTo("v6");
    assertThat(store.reads).extracting(StreamRead::fromVersion).containsExactly(6L);
  }

  @Test
  void the_in_memory_snapshot_store_keeps_the_newest_snapshot_of_a_state_schema_and_replaces_other_schemas() {
    SnapshotStore store = SnapshotStore.inMemory();
    var tree = JsonNodeFactory.instance.objectNode().put("n", 1);
    store.save(null, new Snapshot("s-1", 10, 1, tree, Instant.EPOCH));
    store.save(null, new Snapshot("s-1", 5, 1, tree, Instant.EPOCH));
    assertThat(store.load(null, "s-1")).map(Snapshot::version).hasValue(10L);

    store.save(null, new Snapshot("s-1", 5, 2, tree, Instant.EPOCH));
    assertThat(store.load(null, "s-1")).map(Snapshot::stateSchemaVersion).hasValue(2);

    tree.put("n", 2);
    assertThat(store.load(null, "s-1").orElseThrow().state().get("n").asInt()).as("the store copied the tree").isEqualTo(1);
    store.delete(null, "s-1");
    assertThat(store.load(null, "s-1")).isEmpty();
  }
}
