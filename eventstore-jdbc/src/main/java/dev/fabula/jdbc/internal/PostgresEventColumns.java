package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.NamedStatement;
import dev.fabula.spi.PreparedAppend;
import dev.fabula.spi.PreparedEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-event columns of PostgreSQL's append.sql and append_many.sql: one array each, stream by
 * stream, bound by {@link PostgresDialect}. Built and bound on one thread.
 */
final class PostgresEventColumns {
  private final List<Object> ids = new ArrayList<>();
  private final List<Object> types = new ArrayList<>();
  private final List<Object> versions = new ArrayList<>();
  private final List<Object> correlations = new ArrayList<>();
  private final List<Object> causations = new ArrayList<>();
  private final List<Object> actors = new ArrayList<>();
  // The client joins the serialised objects into JSON arrays: no array-literal escaping.
  private final StringBuilder metadata = new StringBuilder("[");
  private final StringBuilder payloads = new StringBuilder("[");

  PostgresEventColumns(List<PreparedAppend> appends) {
    for (PreparedAppend a : appends) {
      for (PreparedEvent e : a.events()) {
        ids.add(e.eventId());
        types.add(e.type());
        versions.add(e.schemaVersion());
        correlations.add(e.metadata().correlationId());
        causations.add(e.metadata().causationId());
        actors.add(e.metadata().actor());
        metadata.append(metadata.length() > 1 ? "," : "").append(e.entriesJson());
        payloads.append(payloads.length() > 1 ? "," : "").append(e.payloadJson());
      }
    }
    metadata.append(']');
    payloads.append(']');
  }

  void bind(NamedStatement.Binder b, Connection c) throws SQLException {
    b.set("event_ids", c.createArrayOf("uuid", ids.toArray()), Types.ARRAY)
        .set("types", c.createArrayOf("text", types.toArray()), Types.ARRAY)
        .set("schema_versions", c.createArrayOf("int4", versions.toArray()), Types.ARRAY)
        .set("correlation_ids", c.createArrayOf("text", correlations.toArray()), Types.ARRAY)
        .set("causation_ids", c.createArrayOf("text", causations.toArray()), Types.ARRAY)
        .set("actors", c.createArrayOf("text", actors.toArray()), Types.ARRAY)
        .set("metadata", metadata.toString(), Types.VARCHAR)
        .set("payloads", payloads.toString(), Types.VARCHAR);
  }
}
