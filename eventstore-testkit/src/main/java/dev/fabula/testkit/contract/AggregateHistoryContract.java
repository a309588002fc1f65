package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AggregateState;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.HistoryEntry;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.UpcastException;
import dev.fabula.Upcaster;
import dev.fabula.Upcasters;
import dev.fabula.spi.Snapshot;
import dev.fabula.spi.SnapshotStore;
import dev.fabula.testkit.ControllableClock;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigEvent;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValue;
import dev.fabula.testkit.contract.ConfigValueModel.DeleteValue;
import dev.fabula.testkit.contract.ConfigValueModel.SetValue;
import dev.fabula.testkit.contract.ConfigValueModel.ValueDeleted;
import dev.fabula.testkit.contract.ConfigValueModel.ValueSet;
import dev.fabula.testkit.contract.ConfigValueModel.ValueSetV1;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What an aggregate's history must do on a backend: old events read through a chain of upcasters
 * on every read path, the backend's snapshot store, and loads as of a version or a time. Run it
 * with a subclass as shown in {@link AggregateContractSupport}.
 */
public abstract class AggregateHistoryContract extends AggregateContractSupport {

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

    assertThat(snapshots.load(null, "config-s")).isEmpty();
    snapshots.save(null, new Snapshot("config-s", 10, 1, JSON.objectNode().put("n", 10), at));
    snapshots.save(null, new Snapshot("config-s", 5, 1, JSON.objectNode().put("n", 5), at));
    assertThat(snapshots.load(null, "config-s")).hasValue(new Snapshot("config-s", 10, 1, JSON.objectNode().put("n", 10), at));

    snapshots.save(null, new Snapshot("config-s", 3, 2, JSON.objectNode().put("n", 3), at));
    assertThat(snapshots.load(null, "config-s")).map(Snapshot::version).hasValue(3L);

    snapshots.delete(null, "config-s");
    assertThat(snapshots.load(null, "config-s")).isEmpty();
  }

  @Test
  void loading_with_a_snapshot_starts_from_it_and_replays_only_later_events() {
    EventStore store = newStore();
    SnapshotStore snapshots = openSnapshotStore(store);
    var values = values(store, RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(10)));
    for (int i = 1; i <= 25; i++) {
      values.handle("db-url", new SetValue("v" + i));
    }
    assertThat(snapshots.load(null, "config-db-url")).map(Snapshot::version).hasValue(20L);
    // A snapshot that differs from what the events say shows that loads start from it.
    snapshots.save(null, new Snapshot("config-db-url", 25, 1,
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
    snapshots.save(null, new Snapshot("config-db-url", 1, 7,
        JSON.objectNode().put("status", "SET").put("value", "from an old state class"), Instant.now()));

    var values = values(store, RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(1)));

    assertThat(values.load("db-url").state().value()).isEqualTo("real");
    assertThat(snapshots.load(null, "config-db-url")).map(Snapshot::stateSchemaVersion).hasValue(1);
  }

  // ---- tenants ------------------------------------------------------------------------------

  @Test
  void another_tenants_aggregate_loads_as_a_new_one_and_the_same_id_stays_apart() {
    EventStore store = newStore();
    var acme = values(store.forTenant("acme"), RepositoryConfig.DEFAULT);
    var globex = values(store.forTenant("globex"), RepositoryConfig.DEFAULT);
    acme.handle("db-url", new SetValue("acme-secret"));
    acme.handle("db-url", new SetValue("acme-secret-2"));

    assertThat(globex.load("db-url").version()).isZero();
    assertThat(globex.load("db-url").state()).isEqualTo(values(store, RepositoryConfig.DEFAULT).load("never-set").state());
    assertThat(globex.history("db-url")).isEmpty();
    globex.handle("db-url", new SetValue("globex-own"));

    assertThat(globex.load("db-url").version()).isEqualTo(1);
    assertThat(globex.load("db-url").state().value()).isEqualTo("globex-own");
    assertThat(acme.load("db-url").state().value()).isEqualTo("acme-secret-2");
    assertThat(acme.load("db-url").version()).isEqualTo(2);
  }

  @Test
  void snapshots_are_kept_per_tenant_and_never_start_another_tenants_load() {
    EventStore store = newStore();
    SnapshotStore snapshots = openSnapshotStore(store);
    RepositoryConfig config = RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(1));
    var acme = values(store.forTenant("acme"), config);
    for (int i = 1; i <= 3; i++) {
      acme.handle("db-url", new SetValue("acme-" + i));
    }

    var globex = values(store.forTenant("globex"), config);
    assertThat(globex.load("db-url").version()).isZero();
    globex.handle("db-url", new SetValue("globex-1"));

    assertThat(snapshots.load("acme", "config-db-url")).map(Snapshot::version).hasValue(3L);
    assertThat(snapshots.load("globex", "config-db-url")).map(Snapshot::version).hasValue(1L);
    assertThat(snapshots.load(null, "config-db-url")).isEmpty();
    assertThat(values(store, config).load("db-url").version()).isZero();
    assertThat(acme.load("db-url").state().value()).isEqualTo("acme-3");
    assertThat(globex.load("db-url").state().value()).isEqualTo("globex-1");
  }

  // ---- time travel --------------------------------------------------------------------------

  @Test
  void an_aggregate_loads_as_of_a_version_or_a_time_and_lists_its_history_with_timestamps() {
    ControllableClock clock = ControllableClock.at(T0);
    EventStore store = open(freshConfig().withClock(clock));
    var values = values(store, RepositoryConfig.DEFAULT);
    for (String v : List.of("a", "b", "c")) {
      values.handle("db-url", new SetValue(v));
      clock.advance(Duration.ofHours(1));
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
