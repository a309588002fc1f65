package dev.fabula.scheduler.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.EventStoreException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Statements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler's access to the store's database: its statements, transactions under the
 * dialect's write lock, error translation, and the dialect's encoding of times.
 *
 * <p>Every write transaction takes {@link Dialect#writeLock()} first (SQLite has one writer at a
 * time; the lock makes in-process writers queue fairly instead of spinning on busy errors; it is
 * a no-op on PostgreSQL). Reads run outside transactions. Thread-safe.
 */
final class Db {
  static final ObjectMapper JSON = new ObjectMapper();

  final JdbcEventStore store;
  final Dialect dialect;
  final Statements sql;
  final Jdbi jdbi;
  final Clock clock;
  final boolean postgres;
  /** The PostgreSQL LISTEN channel of this store's scheduler tables. */
  final String channel;
  /** Whether the database has one writer at a time (the dialect's write lock is a real lock: SQLite). */
  final boolean singleWriter;

  Db(JdbcEventStore store, Clock clock) {
    this.store = store;
    this.dialect = store.dialect();
    this.jdbi = store.jdbi();
    this.clock = clock;
    this.postgres = "postgresql".equals(dialect.name());
    this.singleWriter = dialect.singleWriter();
    this.sql = new Statements(getClass().getClassLoader(), "dev/fabula/scheduler/" + dialect.name(), store.statements().placeholders());
    String qualified = store.statements().placeholders().getOrDefault("qualified_prefix", "fabula_");
    String name = (qualified.replace('.', '_') + "jobs").replaceAll("[^a-z0-9_]", "_");
    this.channel = name.length() > 63 ? name.substring(0, 63) : name;
  }

  /** The clock's time, at the databases' precision (microseconds). */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Runs {@code work} in a write transaction under the dialect's write lock. */
  <T> T write(String action, HandleCallback<T, RuntimeException> work) {
    Lock lock = dialect.writeLock();
    if (lock instanceof ReentrantLock reentrant && reentrant.isHeldByCurrentThread()) {
      throw new EventStoreException("cannot " + action + " inside EventStore.inTransaction on " + dialect.name()
          + " (one writer at a time); call it outside the transaction, or use JobQueue.enqueue(tx, request) inside");
    }
    lock.lock();
    try {
      return jdbi.inTransaction(work);
    } catch (EventStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw dialect.translate(e, action);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work} on a connection outside a transaction. */
  <T> T read(String action, HandleCallback<T, RuntimeException> work) {
    try {
      return jdbi.withHandle(work);
    } catch (EventStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw dialect.translate(e, action);
    }
  }

  /** Translates a failure of a statement run on a caller's handle. */
  EventStoreException translate(RuntimeException e, String action) {
    return e instanceof EventStoreException ese ? ese : dialect.translate(e, action);
  }

  /** The value to bind for a time. */
  Object time(Instant instant) {
    return dialect.timestamp(instant.truncatedTo(ChronoUnit.MICROS));
  }

  /** Binds a time that may be null, typed so that PostgreSQL knows it is a timestamp. */
  void bindTime(SqlStatement<?> statement, String name, @Nullable Instant instant) {
    if (instant != null) {
      statement.bind(name, time(instant));
    } else if (postgres) {
      statement.bindNull(name, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.bindNull(name, Types.BIGINT);
    }
  }

  /** A time as a value inside a JSON parameter: ISO-8601 text for PostgreSQL, microseconds for SQLite. */
  @Nullable Object jsonTime(@Nullable Instant instant) {
    if (instant == null) {
      return null;
    }
    Instant t = instant.truncatedTo(ChronoUnit.MICROS);
    return postgres ? t.toString() : ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  /** Reads a nullable time column. */
  @Nullable Instant readTime(ResultSet rs, String column) throws SQLException {
    int index = rs.findColumn(column);
    return rs.getObject(index) == null ? null : dialect.readTimestamp(rs, index);
  }

  /** Reads a nullable time column by position. */
  @Nullable Instant readTime(ResultSet rs, int index) throws SQLException {
    return rs.getObject(index) == null ? null : dialect.readTimestamp(rs, index);
  }

  /** Reads a nullable bigint column. */
  static @Nullable Long readLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  /** Writes a value as JSON text. */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new EventStoreException("cannot write a statement parameter as JSON", e);
    }
  }

  /** A JSON array of strings. */
  static String jsonStrings(Collection<String> values) {
    return json(List.copyOf(values));
  }
}
