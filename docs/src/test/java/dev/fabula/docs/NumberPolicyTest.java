package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.jdbc.JdbcEventStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "Numbers and nesting" section of docs/event-store.md, on SQLite. */
class NumberPolicyTest {
  @TempDir Path dir;

  @Test
  void numbers_are_stored_in_plain_notation_and_nan_is_refused() {
    try (EventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("n.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      // snippet:numbers
      ObjectNode reading = store.types().mapper().createObjectNode()
          .put("total", new BigDecimal("12.50"))   // stored as 12.50: the scale is kept
          .put("far", new BigDecimal("1.5E+3"))    // stored as 1500
          .put("near", new BigDecimal("1E-7"))     // stored as 0.0000001
          .put("zero", -0.0);                      // stored as 0.0
      store.append("sensor-1", ExpectedVersion.any(), List.of(EventData.json("reading", 1, reading)));

      JsonNode stored = store.readStream("sensor-1").get(0).payload();
      assertThat(stored.get("total").decimalValue()).isEqualByComparingTo("12.50").hasScaleOf(2);
      assertThat(stored.get("far").isIntegralNumber()).isTrue();
      assertThat(stored.get("near").decimalValue().toPlainString()).isEqualTo("0.0000001");
      assertThat(stored.get("zero").decimalValue()).isEqualByComparingTo("0");

      ObjectNode broken = store.types().mapper().createObjectNode().put("value", Double.NaN);
      assertThatThrownBy(() -> store.append("sensor-1", ExpectedVersion.any(), List.of(EventData.json("reading", 1, broken))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("NaN at /value");
      // end
    }
  }

  @Test
  void a_mapper_with_wider_constraints_raises_the_number_limit_but_not_the_nesting_limit() {
    // snippet:raise-limits
    ObjectMapper mapper = EventTypes.defaultMapper(); // a new mapper on a factory of its own
    mapper.getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNumberLength(5_000).build());
    EventStoreConfig config = EventStoreConfig.DEFAULT.withEventTypes(EventTypes.builder().mapper(mapper).build());
    // end
    try (EventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("wide.db"), config, TestTables.MIGRATING)) {
      ObjectNode payload = mapper.createObjectNode().put("n", new BigDecimal("1E+3000"));
      store.append("wide-1", ExpectedVersion.any(), List.of(EventData.json("wide", 1, payload)));

      assertThat(store.readStream("wide-1").get(0).payload().get("n").bigIntegerValue().toString()).hasSize(3001);
      ObjectNode deep = mapper.createObjectNode();
      ObjectNode level = deep;
      for (int i = 2; i <= 1_500; i++) {
        level = level.putObject("a");
      }
      assertThatThrownBy(() -> store.append("wide-2", ExpectedVersion.any(), List.of(EventData.json("wide", 1, deep))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("the limit is 1000 on every backend");
    }
  }
}
