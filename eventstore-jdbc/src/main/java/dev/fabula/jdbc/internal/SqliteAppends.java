package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventStoreException;
import dev.fabula.Streams;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.ExpectedParameters;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.spi.PreparedAppend;
import dev.fabula.spi.PreparedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;

/**
 * SQLite's append statements ({@code move_stream}, {@code move_existing_stream}, {@code
 * insert_event}, {@code last_position}), run through plain JDBC on the transaction's connection.
 *
 * <p>Why not through Jdbi, like every other statement: an append on SQLite is a few microseconds of
 * database work, and Jdbi's per-statement machinery (a statement context, argument factories looked
 * up per binding, result mappers, cleanables) cost several times that; on the single-event path it
 * was most of the append's CPU time, with SQLite preparing each statement anew (preparing {@code
 * move_stream} costs more than running it). So the statements are the same resource files, parsed
 * once by Jdbi's own parser ({@code :name} to {@code ?}), so what runs is what Jdbi would run, and
 * prepared once per pooled connection and kept (a statement that fails is dropped). Errors come
 * out as Jdbi's {@link UnableToExecuteStatementException}, as from a Jdbi statement, so the
 * store's retry and translation see no difference. Thread-safe: the caches are shared, and a
 * connection's statements are used only by the thread that holds the connection.
 */
final class SqliteAppends {
  private static final ColonPrefixSqlParser PARSER = new ColonPrefixSqlParser();
  /** Parsed statements by their text (a handful: one store has four, a prefix more). */
  private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();
  /**
   * Prepared statements by the driver's connection they belong to and their text. A connection
   * serves one thread at a time, so a connection's own map needs no lock. Closing a connection
   * closes its statements; its entry goes when the next new connection comes ({@link #forgetClosedConnections}).
   */
  private static final Map<Connection, Map<String, PreparedStatement>> PREPARED =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private SqliteAppends() {}

  /** A statement with positional parameters and the name bound at each position. */
  private record Parsed(String sql, String[] names) {
    static Parsed of(String namedSql) {
      return PARSED.computeIfAbsent(namedSql, s -> {
        ParsedSql parsed = PARSER.parse(s, null);
        return new Parsed(parsed.getSql(), parsed.getParameters().getParameterNames().toArray(String[]::new));
      });
    }

    /**
     * This statement prepared on {@code connection}'s driver connection, kept for the next append
     * there (preparing {@code move_stream} costs SQLite more than running it); on another driver,
     * a new statement, closed by {@link #release}.
     */
    PreparedStatement prepare(Connection connection) throws SQLException {
      if (!connection.isWrapperFor(SQLiteConnection.class)) {
        return connection.prepareStatement(sql);
      }
      Connection driver = connection.unwrap(SQLiteConnection.class);
      Map<String, PreparedStatement> statements = PREPARED.get(driver);
      if (statements == null) {
        forgetClosedConnections();
        statements = new HashMap<>();
        PREPARED.put(driver, statements);
      }
      PreparedStatement ps = statements.get(sql);
      if (ps == null || ps.isClosed()) {
        ps = driver.prepareStatement(sql);
        statements.put(sql, ps);
      }
      return ps;
    }

    /** Ends a use of {@link #prepare}: a statement that failed is dropped, not kept. */
    void release(Connection connection, PreparedStatement ps, boolean failed) throws SQLException {
      if (!connection.isWrapperFor(SQLiteConnection.class)) {
        ps.close();
        return;
      }
      if (failed) {
        Map<String, PreparedStatement> statements = PREPARED.get(connection.unwrap(SQLiteConnection.class));
        if (statements != null) {
          statements.remove(sql);
        }
        ps.close();
      } else {
        ps.clearBatch();
      }
    }

    /** Runs {@code work} on this statement prepared on {@code connection} (see {@link #prepare}). */
    <T> T use(Connection connection, StatementWork<T> work) throws SQLException {
      PreparedStatement ps = prepare(connection);
      boolean failed = true;
      try {
        T result = work.run(ps);
        failed = false;
        return result;
      } finally {
        release(connection, ps, failed);
      }
    }

    void bind(PreparedStatement ps, Function<String, @Nullable Object> values) throws SQLException {
      for (int i = 0; i < names.length; i++) {
        ps.setObject(i + 1, values.apply(names[i]));
      }
    }
  }

  /**
   * Drops the statements of connections the pool (or a caller's data source) has closed: they
   * hold their connection, so nothing else would free them.
   */
  private static void forgetClosedConnections() {
    synchronized (PREPARED) {
      PREPARED.keySet().removeIf(c -> {
        try {
          return c.isClosed();
        } catch (SQLException e) {
          return true;
        }
      });
    }
  }

  /** How many connections have statements kept: for tests. */
  static int connectionsWithStatements() {
    return PREPARED.size();
  }

  /** Work on a prepared statement. */
  private interface StatementWork<T> {
    T run(PreparedStatement ps) throws SQLException;
  }

  /**
   * {@link SqliteDialect#appendMany}: moves each stream's version (one conditional statement per
   * stream, which also checks that none of its event ids is stored), then inserts every event in
   * one batch. With one writer at a time and AUTOINCREMENT, the batch takes consecutive positions
   * in the order of the events. Null when a stream's move wrote nothing (nothing of that stream
   * was written; the caller undoes the streams before it).
   */
  static @Nullable List<AppendResult> append(
      Handle handle, Statements sql, List<PreparedAppend> appends, @Nullable String tenant, Instant now) {
    try {
      return appendJdbc(handle.getConnection(), sql, appends, tenant, now);
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  private static @Nullable List<AppendResult> appendJdbc(
      Connection connection, Statements sql, List<PreparedAppend> appends, @Nullable String tenant, Instant now) throws SQLException {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
    String namespace = Dialect.tenantKey(tenant);
    long[] bases = new long[appends.size()];
    int total = 0;
    for (int i = 0; i < appends.size(); i++) {
      PreparedAppend append = appends.get(i);
      Long base = moveStream(connection, sql, append, namespace);
      if (base == null) {
        return null;
      }
      bases[i] = base;
      total += append.events().size();
    }
    Parsed insert = Parsed.of(sql.get("insert_event"));
    int events = total;
    insert.use(connection, ps -> {
      for (int i = 0; i < appends.size(); i++) {
        PreparedAppend append = appends.get(i);
        String category = Streams.category(append.streamId());
        long version = bases[i];
        for (PreparedEvent e : append.events()) {
          long v = ++version;
          insert.bind(ps, name -> switch (name) {
            case "stream_id" -> append.streamId();
            case "stream_version" -> v;
            case "event_id" -> e.eventId().toString();
            case "event_type" -> e.type();
            case "schema_version" -> e.schemaVersion();
            case "category" -> category;
            case "tenant_id" -> namespace;
            case "correlation_id" -> e.metadata().correlationId();
            case "causation_id" -> e.metadata().causationId();
            case "actor" -> e.metadata().actor();
            case "metadata" -> e.entriesJson();
            case "payload" -> e.payloadJson();
            case "recorded_at" -> micros;
            default -> throw unknown("insert_event", name);
          });
          if (events == 1) {
            ps.executeUpdate();
          } else {
            ps.addBatch();
          }
        }
      }
      if (events > 1) {
        ps.executeBatch();
      }
      return null;
    });
    long position = lastPosition(connection, sql) - total;
    List<AppendResult> results = new ArrayList<>(appends.size());
    for (int i = 0; i < appends.size(); i++) {
      PreparedAppend append = appends.get(i);
      int n = append.events().size();
      results.add(new AppendResult(append.streamId(), bases[i] + 1, bases[i] + n, position + 1, position + n));
      position += n;
    }
    return results;
  }

  /** The stream's version before the append, or null when the conditional move wrote nothing. */
  private static @Nullable Long moveStream(
      Connection connection, Statements sql, PreparedAppend append, String namespace) throws SQLException {
    ExpectedParameters p = ExpectedParameters.of(append.expected());
    String name = p.mayCreate() ? "move_stream" : "move_existing_stream";
    Parsed move = Parsed.of(sql.get(name));
    String eventIds = eventIds(append);
    return move.use(connection, ps -> {
      move.bind(ps, parameter -> switch (parameter) {
        case "stream_id" -> append.streamId();
        case "tenant_id" -> namespace;
        case "count" -> (long) append.events().size();
        case "may_create" -> p.mayCreate();
        case "may_update" -> p.mayUpdate();
        case "expected" -> p.expected();
        case "event_ids" -> eventIds;
        default -> throw unknown(name, parameter);
      });
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    });
  }

  /**
   * The append's event ids as a JSON array of strings; a UUID's text (hex digits and dashes) needs
   * no escaping, so no JSON writer is needed.
   */
  static String eventIds(PreparedAppend append) {
    StringBuilder json = new StringBuilder(2 + append.events().size() * 39).append('[');
    for (PreparedEvent e : append.events()) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"').append(e.eventId()).append('"');
    }
    return json.append(']').toString();
  }

  private static long lastPosition(Connection connection, Statements sql) throws SQLException {
    return Parsed.of(sql.get("last_position")).use(connection, ps -> {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /**
   * The first column of the first row of {@code namedSql} (no parameters) as bytes, or null when
   * it returns no row, run on {@code handle}'s connection through a statement prepared once per
   * SQLite connection (see the class comment): for the lookups an append makes on its hot path,
   * such as the erasure secret of a store that has erased nothing ({@link Tombstones#secret}).
   */
  static byte @Nullable [] firstBytes(Handle handle, String namedSql) {
    Parsed query = Parsed.of(namedSql);
    try {
      return query.use(handle.getConnection(), ps -> {
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      });
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  /** Whether {@code handle}'s connection is SQLite's (xerial) driver. */
  static boolean isSqlite(Handle handle) {
    try {
      return handle.getConnection().isWrapperFor(SQLiteConnection.class);
    } catch (SQLException e) {
      return false;
    }
  }

  private static EventStoreException unknown(String statement, String parameter) {
    return new EventStoreException("the SQLite statement " + statement + ".sql names a parameter :" + parameter
        + " that the append does not bind; the statement and the library are out of step");
  }
}
