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

  @Override
  public RecordedEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
    long position = rs.getLong(c);
    String entriesJson = rs.getString(c + 10);
    String payloadJson = rs.getString(c + 11);
    try {
      Map<String, String> entries = "{}".equals(entriesJson) ? Map.of() : entriesReader.readValue(entriesJson);
      Metadata metadata = new Metadata(rs.getString(c + 7), rs.getString(c + 8), Dialect.tenantOf(rs.getString(c + 6)), rs.getString(c + 9), entries);
      return new RecordedEvent(
          position,
          rs.getString(c + 1),
          rs.getLong(c + 2),
          dialect.readUuid(rs, c + 3),
          rs.getString(c + 4),
          rs.getInt(c + 5),
          (ObjectNode) treeReader.readTree(payloadJson),
          metadata,
          dialect.readTimestamp(rs, c + 12));
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot parse the stored JSON of the event at position " + position, e);
    }
  }
}
