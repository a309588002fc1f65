package dev.fabula.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.Map;
import java.util.TreeMap;

/** The readings example's read model, for the parity command to compare with the legacy table. */
final class Readings {
  private Readings() {}

  /**
   * Builds the read model {@code <legacy>_view} from the {@code reading-*} streams: each stream's
   * last event is the row as it is now.
   */
  static String buildReadModel(JdbcEventStore store, String legacy) {
    Map<Long, JsonNode> rows = new TreeMap<>();
    try (var log = store.readAll(LogQuery.all())) {
      log.filter((RecordedEvent e) -> e.streamId().startsWith("reading-"))
          .forEach(e -> rows.put(e.payload().get("id").asLong(), e.payload()));
    }
    String view = legacy + "_view";
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE " + view + " (id BIGINT PRIMARY KEY, meter VARCHAR(40) NOT NULL, wh BIGINT NOT NULL, note VARCHAR(200))");
      var batch = h.prepareBatch("INSERT INTO " + view + " (id, meter, wh, note) VALUES (:id, :meter, :wh, :note)");
      for (JsonNode r : rows.values()) {
        batch.bind("id", r.get("id").asLong()).bind("meter", r.get("meter").asText()).bind("wh", r.get("wh").asLong())
            .bind("note", r.get("note") == null || r.get("note").isNull() ? null : r.get("note").asText()).add();
      }
      batch.execute();
    });
    return view;
  }
}
