package dev.fabula.jdbc.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.SerializationException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps the shared event column list (see {@link Dialect#eventMapper}) to {@link RecordedEvent}s. */
final class EventRowMapper implements RowMapper<RecordedEvent> {
  private final Dialect dialect;
  private final ObjectReader treeReader;
  private final ObjectReader entriesReader;
  private final int c;

  EventRowMapper(Dialect dialect, ObjectMapper json, int firstColumn) {
    this.dialect = dialect;
    this.treeReader = json.readerFor(JsonNode.class);
    this.entriesReader = json.readerFor(new TypeReference<Map<String, String>>() {});
    this.c = firstColumn;
  }

  /**
   * Reads the columns; the payload and the metadata entries stay JSON text until the caller asks
   * for them ({@link RecordedEvent#parsedOnDemand}), so readers that never look at them parse none.
   */
  @Override
  public RecordedEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
    long position = rs.getLong(c);
    String correlationId = rs.getString(c + 7);
    String causationId = rs.getString(c + 8);
    String tenantId = Dialect.tenantOf(rs.getString(c + 6));
    String actor = rs.getString(c + 9);
    String entriesJson = rs.getString(c + 10);
    String payloadJson = rs.getString(c + 11);
    return RecordedEvent.parsedOnDemand(
        position,
        rs.getString(c + 1),
        rs.getLong(c + 2),
        dialect.readUuid(rs, c + 3),
        rs.getString(c + 4),
        rs.getInt(c + 5),
        () -> parsePayload(position, payloadJson),
        () -> new Metadata(correlationId, causationId, tenantId, actor, parseEntries(position, entriesJson)),
        dialect.readTimestamp(rs, c + 12));
  }

  private ObjectNode parsePayload(long position, String json) {
    try {
      JsonNode tree = treeReader.readTree(json);
      if (tree instanceof ObjectNode object) {
        return object;
      }
      throw new SerializationException("the stored payload of the event at position " + position
          + " is not a JSON object but " + (tree == null ? "empty" : tree.getNodeType()));
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot parse the stored payload of the event at position " + position, e);
    }
  }

  private Map<String, String> parseEntries(long position, String json) {
    if ("{}".equals(json)) {
      return Map.of();
    }
    try {
      return entriesReader.readValue(json);
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot parse the stored metadata of the event at position " + position, e);
    }
  }
}
