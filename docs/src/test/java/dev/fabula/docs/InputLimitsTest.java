package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.Metadata;
import dev.fabula.StreamAppend;
import dev.fabula.internal.JsonNumbers;
import dev.fabula.internal.Validation;
import dev.fabula.jdbc.JdbcEventStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input limits table of docs/event-store.md: its numbers are the ones the code checks, and
 * every backend (here the in-memory store and SQLite) holds each limit exactly.
 */
class InputLimitsTest {
  @TempDir Path dir;

  private EventStore open(String backend) {
    return backend.equals("sqlite")
        ? JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("limits.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)
        : EventStore.inMemory(EventStoreConfig.DEFAULT);
  }

  private static EventData event(int n) {
    return EventData.json("counted", 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  private static List<EventData> events(int count) {
    return IntStream.range(0, count).mapToObj(InputLimitsTest::event).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void the_event_limit_is_per_stream_not_per_append(String backend) {
    try (EventStore store = open(backend)) {
      store.appendAll(List.of(
          new StreamAppend("a-1", ExpectedVersion.noStream(), events(10_000)),
          new StreamAppend("b-1", ExpectedVersion.noStream(), events(10_000))));

      assertThat(store.headPosition()).isEqualTo(20_000);
      assertThatThrownBy(() -> store.append("c-1", ExpectedVersion.noStream(), events(10_001)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("the limit is 10000");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void ids_names_and_tenants_are_held_to_their_lengths(String backend) {
    try (EventStore store = open(backend)) {
      store.append("s".repeat(256), ExpectedVersion.any(), List.of(event(1)));
      store.forTenant("t".repeat(200)).append("tenant-1", ExpectedVersion.any(), List.of(event(1)));
      store.append("type-1", ExpectedVersion.any(), List.of(EventData.json("y".repeat(200), 1, payload(1))));

      assertThatThrownBy(() -> store.append("s".repeat(257), ExpectedVersion.any(), List.of(event(1))))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.forTenant("t".repeat(201)))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.append("type-2", ExpectedVersion.any(), List.of(EventData.json("y".repeat(201), 1, payload(1)))))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void metadata_values_and_entries_are_held_to_their_sizes(String backend) {
    try (EventStore store = open(backend)) {
      String value = "v".repeat(4_000);
      Metadata fifteen = entries(15, value); // about 60 KB of JSON
      Metadata seventeen = entries(17, value); // about 68 KB of JSON
      store.append("meta-1", ExpectedVersion.any(), List.of(event(1).withMetadata(fifteen.withActor("a".repeat(4_096)))));

      assertThatThrownBy(() -> store.append("meta-2", ExpectedVersion.any(), List.of(event(1).withMetadata(seventeen))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("metadata entries");
      assertThatThrownBy(() -> store.append("meta-3", ExpectedVersion.any(),
              List.of(event(1).withMetadata(Metadata.EMPTY.withActor("a".repeat(4_097))))))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void payloads_are_held_to_max_payload_bytes(String backend) {
    try (EventStore store = open(backend)) {
      String big = "p".repeat(EventStoreConfig.DEFAULT_MAX_PAYLOAD_BYTES);

      assertThatThrownBy(() -> store.append("big-1", ExpectedVersion.any(),
              List.of(EventData.json("big", 1, JsonNodeFactory.instance.objectNode().put("p", big)))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("withMaxPayloadBytes");
    }
    assertThatThrownBy(() -> EventStoreConfig.DEFAULT.withMaxPayloadBytes(EventStoreConfig.MAX_PAYLOAD_BYTES_LIMIT + 1))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void the_table_quotes_the_limits_the_code_checks() throws IOException {
    Function<String, String> row = table(Path.of(System.getProperty("user.dir"), "event-store.md"));

    assertThat(row.apply("stream id")).contains("1–" + Validation.MAX_STREAM_ID_LENGTH + " characters");
    assertThat(row.apply("event type name")).contains("1–" + Validation.MAX_TYPE_LENGTH + " characters");
    assertThat(row.apply("tenant id (`forTenant`)")).contains("1–" + Validation.MAX_TYPE_LENGTH + " characters");
    assertThat(row.apply("events")).contains("1–" + thousands(Validation.MAX_BATCH) + " per stream");
    assertThat(row.apply("payload"))
        .contains((EventStoreConfig.DEFAULT_MAX_PAYLOAD_BYTES >> 20) + " MiB by default")
        .contains("up to " + (EventStoreConfig.MAX_PAYLOAD_BYTES_LIMIT >> 20) + " MiB");
    assertThat(row.apply("metadata values")).contains("up to " + thousands(Validation.MAX_METADATA_VALUE_LENGTH) + " characters");
    assertThat(row.apply("metadata entries")).contains("up to " + (Validation.MAX_METADATA_ENTRIES_BYTES >> 10) + " KiB");
    ObjectMapper mapper = EventStoreConfig.DEFAULT.eventTypes().mapper();
    assertThat(row.apply("numbers")).contains("at most " + thousands(mapper.getFactory().streamReadConstraints().getMaxNumberLength()) + " characters");
    assertThat(row.apply("nesting")).contains("at most " + thousands(JsonNumbers.maxDepth(mapper)) + " levels");
  }

  private static ObjectNode payload(int n) {
    return JsonNodeFactory.instance.objectNode().put("n", n);
  }

  private static Metadata entries(int count, String value) {
    Metadata m = Metadata.EMPTY;
    for (int i = 0; i < count; i++) {
      m = m.with("k" + i, value);
    }
    return m;
  }

  private static String thousands(int n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** The second column of a Markdown table row, by its first column. */
  private static Function<String, String> table(Path page) throws IOException {
    List<String> rows = new ArrayList<>(Files.readAllLines(page));
    return first -> rows.stream()
        .filter(l -> l.startsWith("| " + first + " |"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row '" + first + "' in " + page));
  }
}
