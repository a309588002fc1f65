package dev.fabula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fabula.example.ConfigValues;
import dev.fabula.example.ConfigValues.ConfigCommand;
import dev.fabula.example.ConfigValues.ConfigEvent;
import dev.fabula.example.ConfigValues.ConfigValue;
import dev.fabula.example.ConfigValues.ConfigValueAggregate;
import dev.fabula.example.ConfigValues.DeleteValue;
import dev.fabula.example.ConfigValues.SetValue;
import dev.fabula.example.ConfigValues.ValueDeleted;
import dev.fabula.example.ConfigValues.ValueSet;
import dev.fabula.example.OldConfigEvents;
import dev.fabula.example.OldConfigEvents.ValueSetV1;
import dev.fabula.example.OldConfigEvents.ValueSetV1ToV2;
import dev.fabula.example.OldConfigEvents.ValueSetV2ToV3;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpcasterTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final List<EventStore> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(EventStore::close);
  }

  private EventStore open(EventStoreConfig config) {
    EventStore store = EventStore.inMemory(config.withEventTypes(ConfigValues.TYPES));
    stores.add(store);
    return store;
  }

  private EventStore open(Upcaster... upcasters) {
    return open(EventStoreConfig.DEFAULT.withUpcasters(Upcasters.of(upcasters)));
  }

  /** What the old code base stored for ValueSetV1: the class's own JSON, type and version. */
  private static EventData writtenByV1(String value) {
    return EventData.of(OldConfigEvents.V1_TYPES.encode(new ValueSetV1(value)));
  }

  private static EventData raw(String type, int version, ObjectNode payload) {
    return EventData.json(type, version, payload);
  }

  private static List<RecordedEvent> log(EventStore store, LogQuery query) {
    try (Stream<RecordedEvent> events = store.readAll(query)) {
      return events.toList();
    }
  }

  private static AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values(EventStore store) {
    return AggregateRepository.of(store, new ConfigValueAggregate());
  }

  @Test
  void a_v1_event_reads_as_v3_through_a_chain_of_two_upcasters_on_every_read_path() {
    EventStoreConfig config = EventStoreConfig.DEFAULT
        .withEventTypes(ConfigValues.TYPES)
        .withUpcasters(Upcasters.of(new ValueSetV1ToV2(), new ValueSetV2ToV3()));
    EventStore store = open(config);
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(writtenByV1("jdbc:old")));

    RecordedEvent read = store.readStream("config-db-url").get(0);
    assertThat(read.schemaVersion()).isEqualTo(3);
    assertThat(store.types().decode(read)).isEqualTo(new ValueSet("jdbc:old", false));
    assertThat(log(store, LogQuery.all())).singleElement()
        .satisfies(e -> assertThat(store.types().decode(e)).isEqualTo(new ValueSet("jdbc:old", false)));
    assertThat(values(store).load("db-url").state().value()).isEqualTo("jdbc:old");
  }

  @Test
  void upcasting_keeps_position_version_id_metadata_and_time_of_the_stored_event() {
    TestClock clock = new TestClock(Instant.parse("2020-03-01T09:00:00Z"));
    EventStore store = open(EventStoreConfig.DEFAULT.withClock(clock)
        .withUpcasters(Upcasters.of(new ValueSetV1ToV2(), new ValueSetV2ToV3())));
    store.append("config-other", ExpectedVersion.noStream(), List.of(EventData.of(new ValueSet("first", false))));
    clock.advance(Duration.ofMinutes(5));
    Instant storedAt = clock.instant();
    UUID id = UUID.fromString("6f1c2a4e-0000-4000-8000-000000000001");
    Metadata metadata = Metadata.EMPTY.withActor("bob").withCorrelationId("c-1");
    AppendResult stored = store.append("config-a", ExpectedVersion.noStream(),
        List.of(writtenByV1("x").withEventId(id).withMetadata(metadata)));
    clock.advance(Duration.ofDays(400)); // the read happens long after the write

    RecordedEvent read = store.readStream("config-a").get(0);

    assertThat(read.schemaVersion()).as("upcast from v1 through v2 to v3").isEqualTo(3);
    assertThat(read.payload()).isEqualTo(JSON.objectNode().put("value", "x").put("secret", false));
    assertThat(read.type()).isEqualTo("config-value-set");
    assertThat(read.eventId()).isEqualTo(id);
    assertThat(read.position()).isEqualTo(stored.firstPosition()).isEqualTo(2);
    assertThat(read.streamVersion()).isEqualTo(stored.firstVersion()).isEqualTo(1);
    assertThat(read.metadata()).isEqualTo(metadata);
    assertThat(read.recordedAt()).as("the time of the append, not of the read").isEqualTo(storedAt);
    assertThat(log(store, LogQuery.after(1))).as("the global log upcasts the same way").containsExactly(read);
  }

  @Test
  void an_upcaster_may_rename_a_type() {
    EventStore store = open(Upcaster.rename("config-value-removed", 1, "config-value-deleted", 1));
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(
        EventData.of(new ValueSet("a", false)),
        raw("config-value-removed", 1, JSON.objectNode().put("previousValue", "a"))));

    assertThat(store.readStream("config-db-url")).extracting(RecordedEvent::type)
        .containsExactly("config-value-set", "config-value-deleted");
    assertThat(store.types().decode(store.readStream("config-db-url").get(1))).isEqualTo(new ValueDeleted("a"));
    assertThat(values(store).load("db-url").state().status()).isEqualTo(ConfigValue.Status.DELETED);
  }

  /** A bulk import of v1 stored several values in one event; today it reads as one ValueSet per value. */
  static final Upcaster SPLIT_IMPORT = Upcaster.of("config-values-imported", 1, event -> {
    List<RawEvent> sets = new ArrayList<>();
    event.payload().get("values").forEach(value ->
        sets.add(new RawEvent("config-value-set", 3, JSON.objectNode().put("value", value.asText()).put("secret", false))));
    return sets;
  });

  @Test
  void an_upcaster_may_split_an_event_whose_parts_share_the_stored_position_and_version() {
    EventStore store = open(SPLIT_IMPORT);
    ObjectNode imported = JSON.objectNode();
    imported.putArray("values").add("a").add("b").add("c");
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(raw("config-values-imported", 1, imported)));
    store.append("config-db-url", ExpectedVersion.exactly(1), List.of(EventData.of(new ValueSet("d", false))));

    List<RecordedEvent> read = store.readStream("config-db-url");

    assertThat(read).extracting(e -> e.payload().get("value").asText()).containsExactly("a", "b", "c", "d");
    assertThat(read).extracting(RecordedEvent::streamVersion).containsExactly(1L, 1L, 1L, 2L);
    assertThat(read).extracting(RecordedEvent::position).containsExactly(1L, 1L, 1L, 2L);
    assertThat(read.stream().map(RecordedEvent::eventId).distinct()).hasSize(4);
    assertThat(store.readStream("config-db-url")).extracting(RecordedEvent::eventId)
        .as("derived ids are the same on every read").isEqualTo(read.stream().map(RecordedEvent::eventId).toList());
    AggregateState<ConfigValue> loaded = values(store).load("db-url");
    assertThat(loaded.version()).isEqualTo(2);
    assertThat(loaded.state().value()).isEqualTo("d");
    assertThat(values(store).history("db-url")).extracting(HistoryEntry::version).containsExactly(1L, 1L, 1L, 2L);
  }

  @Test
  void an_upcaster_may_drop_an_event_and_the_aggregate_still_appends_at_the_right_version() {
    EventStore store = open(Upcaster.of("config-value-read", 1, event -> List.of()));
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(
        EventData.of(new ValueSet("a", false)),
        raw("config-value-read", 1, JSON.objectNode().put("by", "auditor"))));

    assertThat(store.readStream("config-db-url")).hasSize(1);
    assertThat(values(store).load("db-url").version()).isEqualTo(2);
    CommandResult<ConfigEvent> result = values(store).handle("db-url", new DeleteValue());
    assertThat(result.version()).isEqualTo(3);
    assertThat(result.attempts()).isEqualTo(1);
  }

  @Test
  void a_type_filter_on_the_global_log_applies_to_upcast_types_and_the_limit_never_cuts_a_split_event() {
    EventStore store = open(Upcaster.rename("config-value-removed", 1, "config-value-deleted", 1), SPLIT_IMPORT);
    ObjectNode imported = JSON.objectNode();
    imported.putArray("values").add("a").add("b");
    store.append("config-x", ExpectedVersion.noStream(), List.of(
        raw("config-values-imported", 1, imported),
        raw("config-value-removed", 1, JSON.objectNode().put("previousValue", "b")),
        EventData.of(new ValueSet("c", false))));

    assertThat(log(store, LogQuery.all().types(Set.of("config-value-deleted")))).extracting(RecordedEvent::position).containsExactly(2L);
    assertThat(log(store, LogQuery.all().types(Set.of("config-value-set"))))
        .extracting(e -> e.payload().get("value").asText()).containsExactly("a", "b", "c");
    assertThat(log(store, LogQuery.all().types(Set.of("config-value-set")).limit(1)))
        .extracting(e -> e.payload().get("value").asText()).containsExactly("a", "b");
    assertThat(log(store, LogQuery.after(1).types(Set.of("config-value-set")).limit(1)))
        .extracting(e -> e.payload().get("value").asText()).containsExactly("c");
    assertThat(log(store, LogQuery.all().limit(2))).extracting(RecordedEvent::position).containsExactly(1L, 1L, 2L);
  }

  @Test
  void an_upcaster_that_throws_fails_the_read_naming_the_event_and_leaves_the_store_untouched() {
    AtomicBoolean broken = new AtomicBoolean(true);
    Upcaster flaky = Upcaster.transform("config-value-set", 1, payload -> {
      payload.remove("val");
      if (broken.get()) {
        throw new IllegalStateException("cannot parse the value");
      }
      return payload.put("value", "repaired");
    });
    EventStore store = open(flaky, new ValueSetV2ToV3());
    store.append("config-ok", ExpectedVersion.noStream(), List.of(EventData.of(new ValueSet("fine", false))));
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(writtenByV1("x")));

    assertThatThrownBy(() -> store.readStream("config-db-url"))
        .isInstanceOf(UpcastException.class)
        .hasMessageContaining("position 2")
        .hasMessageContaining("stream 'config-db-url'")
        .hasMessageContaining("type config-value-set v1")
        .hasMessageContaining("cannot parse the value");
    assertThatThrownBy(() -> log(store, LogQuery.all())).isInstanceOf(UpcastException.class);
    assertThatThrownBy(() -> values(store).load("db-url")).isInstanceOf(UpcastException.class)
        .extracting(e -> ((UpcastException) e).position()).isEqualTo(2L);

    broken.set(false);
    RecordedEvent stored = store.readStream("config-db-url").get(0);
    assertThat(stored.payload().get("value").asText()).as("the stored event was not changed by the failed read").isEqualTo("repaired");
    assertThat(store.streamInfo("config-db-url").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void an_upcaster_that_returns_an_invalid_tree_fails_the_read_with_a_clear_error() {
    List<Upcaster> invalid = List.of(
        Upcaster.transform("config-value-set", 1, payload -> null),
        Upcaster.transform("config-value-set", 1, payload -> TextNode.valueOf("x")),
        Upcaster.of("config-value-set", 1, event -> null),
        Upcaster.of("config-value-set", 1, event -> java.util.Arrays.asList((RawEvent) null)),
        Upcaster.of("config-value-set", 1, event -> List.of(new RawEvent("config-value-set", 2, null))),
        Upcaster.of("config-value-set", 1, event -> List.of(new RawEvent(" ", 2, event.payload()))),
        Upcaster.of("config-value-set", 1, event -> List.of(new RawEvent("config-value-set", 1, event.payload()))));
    for (Upcaster upcaster : invalid) {
      EventStore store = open(upcaster);
      store.append("config-db-url", ExpectedVersion.noStream(), List.of(writtenByV1("x")));

      assertThatThrownBy(() -> store.readStream("config-db-url"))
          .as(upcaster.toString())
          .isInstanceOf(UpcastException.class)
          .hasMessageContaining("position 1").hasMessageContaining("config-db-url").hasMessageContaining("config-value-set v1")
          .hasMessageContaining(upcaster.toString());
    }
  }

  @Test
  void upcasters_that_rename_in_a_circle_fail_instead_of_looping() {
    EventStore store = open(Upcaster.rename("a", 1, "b", 1), Upcaster.rename("b", 1, "a", 1));
    store.append("config-x", ExpectedVersion.noStream(), List.of(raw("a", 1, JSON.objectNode())));

    assertThatThrownBy(() -> store.readStream("config-x")).isInstanceOf(UpcastException.class).hasMessageContaining("loop");
  }

  @Test
  void registering_an_upcaster_twice_is_harmless_but_two_different_ones_for_one_version_are_refused() {
    assertThat(Upcasters.of(new ValueSetV1ToV2(), new ValueSetV1ToV2()).all()).hasSize(1);
    assertThatThrownBy(() -> Upcasters.of(new ValueSetV1ToV2(), Upcaster.transform("config-value-set", 1, p -> p)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("config-value-set v1").hasMessageContaining(ValueSetV1ToV2.class.getName());
  }

  @Test
  void service_loader_discovery_is_off_by_default() {
    EventStore store = open(EventStoreConfig.DEFAULT);
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(writtenByV1("x")));

    assertThat(store.readStream("config-db-url").get(0).schemaVersion()).isEqualTo(1);
  }

  @Test
  void service_loader_discovery_adds_the_listed_upcasters_when_switched_on() {
    EventStore store = open(EventStoreConfig.DEFAULT.withUpcasterDiscovery(true));
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(writtenByV1("x")));

    assertThat(store.types().decode(store.readStream("config-db-url").get(0))).isEqualTo(new ValueSet("x", false));
  }

  @Test
  void a_registered_upcaster_wins_over_a_discovered_one_for_the_same_type_and_version() {
    Upcaster secretByDefault = Upcaster.transform("config-value-set", 2, payload -> payload.put("secret", true));
    EventStore store = open(EventStoreConfig.DEFAULT.withUpcasters(Upcasters.of(secretByDefault)).withUpcasterDiscovery(true));
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(writtenByV1("x")));

    assertThat(store.types().decode(store.readStream("config-db-url").get(0))).isEqualTo(new ValueSet("x", true));
  }

  @Test
  void a_tenant_view_upcasts_like_its_store() {
    EventStore store = open(new ValueSetV1ToV2(), new ValueSetV2ToV3());
    EventStore acme = store.forTenant("acme");
    acme.append("config-db-url", ExpectedVersion.noStream(), List.of(writtenByV1("x")));

    assertThat(acme.readStream("config-db-url").get(0).schemaVersion()).isEqualTo(3);
    assertThat(log(acme, LogQuery.all())).extracting(RecordedEvent::schemaVersion).containsExactly(3);
  }

  @Test
  void without_upcasters_events_read_exactly_as_stored() {
    EventStore store = open();
    store.append("config-db-url", ExpectedVersion.noStream(), List.of(writtenByV1("x")));

    assertThat(store.readStream("config-db-url").get(0).payload()).isEqualTo(JSON.objectNode().put("val", "x"));
  }
}
