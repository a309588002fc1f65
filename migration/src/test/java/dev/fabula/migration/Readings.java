package dev.fabula.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.EventData;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The readings example used by the tests: mappings, and a same-database read model built from the events. */
final class Readings {
  private Readings() {}

  /** Backfill: one ReadingImported event per row, in the row's stream. */
  static RowMapping importMapping(JdbcEventStore store) {
    return row -> MappedRow.of("reading-" + row.get("id"),
        EventData.json("ReadingImported", 1, store.types().mapper().valueToTree(row)));
  }

  // snippet: change-mapping
  /** Capture: one event per change, carrying the row as it is now. */
  static ChangeMapping changeMapping(JdbcEventStore store) {
    return change -> {
      String type = switch (change.operation()) {
        case INSERT -> "ReadingInserted";
        case UPDATE -> "ReadingUpdated";
        case DELETE -> "ReadingDeleted";
      };
      return MappedRow.of("reading-" + change.row().get("id"),
          EventData.json(type, 1, store.types().mapper().valueToTree(change.row())));
    };
  }
  // end snippet

  /**
   * Builds the read model {@code <legacy>_view} from every event: imported, inserted and updated
   * rows are "the row is now this", a deleted row is gone.
   */
  static String buildReadModel(JdbcEventStore store, String legacy) {
    Map<Long, JsonNode> rows = new TreeMap<>();
    try (var log = store.readAll(LogQuery.all())) {
      log.forEach((RecordedEvent e) -> {
        if (!e.streamId().startsWith("reading-")) {
          return;
        }
        long id = e.payload().get("id").asLong();
        if (e.type().equals("ReadingDeleted")) {
          rows.remove(id);
        } else {
          rows.put(id, e.payload());
        }
      });
    }
    String view = legacy + "_view";
    store.jdbi().useHandle(h -> {
      h.execute("DROP TABLE IF EXISTS " + view);
      h.execute("CREATE TABLE " + view + " (id BIGINT PRIMARY KEY, meter VARCHAR(40) NOT NULL, wh BIGINT NOT NULL, note VARCHAR(200))");
      var batch = h.prepareBatch("INSERT INTO " + view + " (id, meter, wh, note) VALUES (:id, :meter, :wh, :note)");
      int n = 0;
      for (JsonNode r : rows.values()) {
        batch.bind("id", r.get("id").asLong()).bind("meter", r.get("meter").asText()).bind("wh", r.get("wh").asLong())
            .bind("note", r.get("note") == null || r.get("note").isNull() ? null : r.get("note").asText()).add();
        if (++n % 5000 == 0) {
          batch.execute();
        }
      }
      if (n % 5000 != 0) {
        batch.execute();
      }
    });
    return view;
  }

  /** How many events of each type the store holds. */
  static Map<String, Long> eventCounts(JdbcEventStore store) {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (var log = store.readAll(LogQuery.all())) {
      log.forEach(e -> counts.merge(e.type(), 1L, Long::sum));
    }
    return counts;
  }
}
