package dev.fabula.examples.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads of the whole global log with payloads parsed and not parsed, each next to plain JDBC
 * reading the same rows of the store's own events table in the same run: {@code readAll} touching
 * each event's payload (parsed) or only its type (not parsed), against a {@code SELECT} of the same
 * columns that reads every column as a string or a number and, for the parsed figure, parses the
 * payload with Jackson. Both sides read with a fetch size of 1,000 (on PostgreSQL in a
 * transaction, so that the driver streams). Figures: {@code <p>.read.log.parsed.events_per_s} and
 * {@code <p>.read.log.not_parsed.events_per_s}.
 */
final class LogReadWorkload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogReadWorkload() {}

  /** Reads the store's whole log four times (warm-up first); returns the two figures. */
  static List<Result> run(Backend backend, JdbcEventStore store) throws Exception {
    String p = backend.prefix() + ".read.log";
    String table = store.jdbcConfig().tablePrefix() + "events";
    rawRead(backend, table, true);
    ours(store, true);
    rawRead(backend, table, false);
    ours(store, false);

    List<Result> results = new ArrayList<>();
    double raw = rawRead(backend, table, true);
    results.add(Result.vsRaw(p + ".parsed.events_per_s", ours(store, true), raw, "events/s"));
    double rawUnparsed = rawRead(backend, table, false);
    results.add(Result.vsRaw(p + ".not_parsed.events_per_s", ours(store, false), rawUnparsed, "events/s"));
    return results;
  }

  private static double ours(JdbcEventStore store, boolean parse) {
    long start = System.nanoTime();
    long n = 0;
    try (Stream<RecordedEvent> events = store.readAll(LogQuery.all())) {
      for (var it = events.iterator(); it.hasNext(); ) {
        RecordedEvent e = it.next();
        if (parse ? e.payload().size() > 0 : !e.type().isEmpty()) {
          n++;
        }
      }
    }
    return FoundationWorkload.perSecond(n, start);
  }

  private static double rawRead(Backend backend, String table, boolean parse) throws Exception {
    try (Connection c = backend.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("SELECT position, stream_id, stream_version, event_id, "
          + "event_type, schema_version, tenant_id, correlation_id, causation_id, actor, metadata, payload, "
          + "recorded_at FROM " + table + " ORDER BY position")) {
        ps.setFetchSize(1000);
        long start = System.nanoTime();
        long n = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rs.getLong(1);
            rs.getString(2);
            rs.getLong(3);
            rs.getString(4);
            String type = rs.getString(5);
            rs.getInt(6);
            rs.getString(7);
            rs.getString(8);
            rs.getString(9);
            rs.getString(10);
            rs.getString(11);
            String payload = rs.getString(12);
            rs.getString(13);
            if (parse) {
              JsonNode tree = JSON.readTree(payload);
              if (tree.size() > 0) {
                n++;
              }
            } else if (!type.isEmpty()) {
              n++;
            }
          }
        }
        c.commit();
        return FoundationWorkload.perSecond(n, start);
      }
    }
  }
}
