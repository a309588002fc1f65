package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.SerializationException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events read from the database parse their payload and metadata when asked, not while rows are read. */
class LazyPayloadSqliteTest {
  @TempDir Path dir;

  @Test
  void a_payload_that_cannot_be_parsed_fails_only_the_call_that_asks_for_it() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("bad.db"), EventStoreConfig.DEFAULT, TestStores.MIGRATING)) {
      ObjectNode payload = store.types().mapper().createObjectNode().put("kwh", 12.5);
      store.append("meter-1", ExpectedVersion.noStream(), List.of(
          EventData.json("read", 1, payload), EventData.json("read", 1, payload)));
      corruptPayloadAt(store, 2);

      List<RecordedEvent> events;
      try (Stream<RecordedEvent> log = store.readAll(LogQuery.all())) {
        events = log.toList(); // reading the rows parses nothing
      }

      assertThat(events).extracting(RecordedEvent::position).containsExactly(1L, 2L);
      assertThat(events.get(1).type()).isEqualTo("read");
      assertThat(events.get(0).payload().toString()).isEqualTo("{\"kwh\":12.5}");
      assertThatThrownBy(() -> events.get(1).payload())
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("cannot parse the stored payload of the event at position 2");
      assertThatThrownBy(() -> events.get(1).payload()) // a second call fails the same way
          .isInstanceOf(SerializationException.class);
      assertThat(events.get(1).metadata()).isEqualTo(Metadata.EMPTY);
      assertThat(events.get(1).toString()).contains("position=2", "payload=<cannot be parsed: cannot parse the stored payload");
    }
  }

  @Test
  void an_event_read_lazily_equals_the_same_event_built_at_hand() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("eq.db"), EventStoreConfig.DEFAULT, TestStores.MIGRATING)) {
      ObjectNode payload = store.types().mapper().createObjectNode().put("meter", "m-7").put("kwh", 3);
      Metadata metadata = Metadata.EMPTY.withCorrelationId("c-1").with("source", "app");
      store.append("meter-7", ExpectedVersion.noStream(), List.of(EventData.json("read", 1, payload).withMetadata(metadata)));

      RecordedEvent read = store.readStream("meter-7").get(0);
      RecordedEvent built = new RecordedEvent(read.position(), read.streamId(), read.streamVersion(), read.eventId(),
          read.type(), read.schemaVersion(), payload.deepCopy(), metadata, read.recordedAt());
      RecordedEvent readAgain = store.readStream("meter-7").get(0);

      assertThat(read.toString()).isEqualTo(built.toString()); // parses
      assertThat(readAgain).isEqualTo(built).hasSameHashCodeAs(built);
      assertThat(built).isEqualTo(readAgain);
      assertThat(read.payload()).isSameAs(read.payload()); // parsed once, the same tree after
      assertThat(read.metadata()).isEqualTo(metadata);
    }
  }

  @Test
  void a_part_made_on_demand_is_made_once() {
    AtomicInteger parses = new AtomicInteger();
    RecordedEvent e = RecordedEvent.parsedOnDemand(1, "a-1", 1, java.util.UUID.randomUUID(), "t", 1,
        () -> {
          parses.incrementAndGet();
          return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }, () -> Metadata.EMPTY, java.time.Instant.EPOCH);
    assertThat(parses).hasValue(0);
    e.payload();
    e.payload();
    e.hashCode();
    assertThat(parses).hasValue(1);
  }

  /** Writes text that is not JSON over a stored payload, past the append-only trigger and the JSON check. */
  private static void corruptPayloadAt(JdbcEventStore store, long position) {
    String prefix = store.jdbcConfig().tablePrefix();
    store.jdbi().useHandle(h -> {
      h.execute("DROP TRIGGER " + prefix + "events_no_update");
      h.execute("PRAGMA ignore_check_constraints = ON");
      h.execute("UPDATE " + prefix + "events SET payload = '{\"kwh\": 12.5' WHERE position = ?", position);
      h.execute("PRAGMA ignore_check_constraints = OFF");
    });
  }
}
