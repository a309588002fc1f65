package dev.fabula.scheduler.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.EventStoreException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.jdbc.spi.Notifications;
import dev.fabula.scheduler.TimeSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler's handle on its component of the store's database ({@link ComponentDatabase}:
 * statements, migrations, reads, writes through the store's transactions, the dialect's encoding
 * of times) together with the scheduler's time ({@link SchedulerClock}: the database's clock, or
 * a test's), the application's clock and its notification channel. No database mechanics live
 * here. Thread-safe.
 */
final class Db {
  static final ObjectMapper JSON = new ObjectMapper();

  final JdbcEventStore store;
  final ComponentDatabase tables;
  /** The application's clock, for handlers ({@code JobContext.clock()}); never compared with a lease. */
  final Clock clock;
  /** The scheduler's one notion of now. */
  private final SchedulerClock time;
  /** The statements by name. */
  final Sql sql;
  /** Whether other processes' enqueues can be heard (PostgreSQL's LISTEN/NOTIFY). */
  final boolean postgres;
  /** The LISTEN channel of this store's scheduler tables. */
  final String channel;
  /** Whether the database has one writer at a time (SQLite). */
  final boolean singleWriter;
  /**
   * Whether complete.sql inserts the history rows of the successes it records (PostgreSQL: one
   * round trip for a batch), or the caller does (SQLite, in process: a second statement is cheap).
   */
  final boolean completeWritesHistory;

  /** A statement by name. */
  interface Sql {
    String get(String name);
  }

  Db(JdbcEventStore store, Clock clock, TimeSource timeSource) {
    this.store = store;
    this.tables = ComponentDatabase.open(store, SchedulerTables.COMPONENT);
    this.clock = clock;
    this.sql = tables::sql;
    this.time = new SchedulerClock(timeSource, h -> h != null ? databaseNow(h)
        : tables.read("reading the database's clock", this::databaseNow));
    Notifications notifications = tables.notifications();
    this.postgres = notifications.available();
    this.channel = notifications.channel("jobs");
    this.singleWriter = tables.singleWriter();
    this.completeWritesHistory = !singleWriter;
  }

  /** The scheduler's time (by default the database's), at the databases' precision (microseconds). */
  Instant now() {
    return time.now();
  }

  /** The scheduler's time from the last reading of the database's clock, without a new one; null before the first. */
  @Nullable Instant estimateNow() {
    return time.estimate();
  }

  /** The scheduler's time; inside a transaction, so that a due reading of the database's clock uses its handle. */
  Instant now(Handle h) {
    return time.now(h);
  }

  /** The latest run time a claim at {@code now} takes: {@code now} plus the tolerance of readings of the database's clock. */
  Instant dueBy(Instant now) {
    return now.plus(time.dueTolerance());
  }

  private long databaseNow(Handle h) {
    return h.createQuery(sql.get("database_now")).mapTo(Long.class).one();
  }

  /** Runs {@code work} in a write transaction of the store. */
  <T> T write(String action, HandleCallback<T, RuntimeException> work) {
    return tables.write(action, work);
  }

  /** Runs {@code work} on a connection outside a transaction. */
  <T> T read(String action, HandleCallback<T, RuntimeException> work) {
    return tables.read(action, work);
  }

  /** Translates a failure of a statement run on a caller's handle. */
  EventStoreException translate(RuntimeException e, String action) {
    return tables.translate(e, action);
  }

  /** The value to bind for a time. */
  Object time(Instant instant) {
    return tables.time(instant);
  }

  /** Binds a time that may be null. */
  void bindTime(SqlStatement<?> statement, String name, @Nullable Instant instant) {
    tables.bindTime(statement, name, instant);
  }

  /** A time as a value inside a JSON parameter. */
  @Nullable Object jsonTime(@Nullable Instant instant) {
    return tables.jsonTime(instant);
  }

  /** Reads a nullable time column. */
  @Nullable Instant readTime(ResultSet rs, String column) throws SQLException {
    return tables.readTime(rs, column);
  }

  /** Reads a nullable time column by position. */
  @Nullable Instant readTime(ResultSet rs, int index) throws SQLException {
    return tables.readTime(rs, index);
  }

  /** Reads a nullable bigint column. */
  static @Nullable Long readLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  /** Writes a value as JSON text. */
  static String json(Object value) {
    return ComponentDatabase.json(value);
  }

  /** A JSON array of strings. */
  static String jsonStrings(Collection<String> values) {
    return json(List.copyOf(values));
  }
}
