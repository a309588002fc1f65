package dev.fabula.jdbc.spi;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fabula.EventStoreException;
import dev.fabula.RecordedEvent;
import dev.fabula.TransactionCallback;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.internal.ComponentDb;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * The one database layer of the modules built on a JDBC event store (projections, the scheduler,
 * the migration toolkit): their statements, their migrations, one way to read and one way to
 * write, the dialect's binding of times, JSON and lists, and notifications between processes.
 *
 * <pre>{@code
 * ComponentDatabase db = ComponentDatabase.open(store,
 *     new Component("scheduler", JobQueue.class, "dev/fabula/scheduler", List.of("V1__scheduler.sql")));
 * long ready = db.read("counting jobs", h -> h.createQuery(db.sql("count_ready")).mapTo(Long.class).one());
 * db.write("cancelling job " + id, h -> h.createUpdate(db.sql("cancel")).bind("id", id).execute());
 * }</pre>
 *
 * <p><b>Reads</b> run on a pooled connection outside any transaction. <b>Writes</b> run in one
 * store transaction: on SQLite they queue on the store's single-writer lock with the store's own
 * appends, and events a write appends through its {@link dev.fabula.Transaction} wake the store's
 * listeners like any append. Database errors come out translated into {@link EventStoreException}s
 * by the dialect; other runtime exceptions of the work pass unchanged and roll the write back.
 * Thread-safe.
 */
public interface ComponentDatabase {

  /**
   * Opens the layer of {@code component} on {@code store}: loads its statements for the store's
   * dialect and checks that its tables are at the version the component needs (reads only). When
   * the store was opened with {@link dev.fabula.jdbc.JdbcConfig#migrateOnOpen()}, it creates or
   * upgrades them instead (in one transaction under the migration lock, so processes starting
   * together migrate once). List the component in a {@link ComponentProvider} so that {@link
   * JdbcEventStore#migrate(String, dev.fabula.jdbc.JdbcConfig)} migrates it with the rest.
   *
   * @throws dev.fabula.jdbc.SchemaNotMigratedException when its tables are behind and the store
   *     does not migrate on open
   * @throws EventStoreException when the component has no SQL for the store's dialect
   */
  static ComponentDatabase open(JdbcEventStore store, Component component) {
    return ComponentDb.open(store, component);
  }

  /** The dialect's name ({@code postgresql}, {@code sqlite}), for log lines. */
  String dialectName();

  /** The statement {@code name}: the dialect's file, else the shared one; see {@link Statements}. */
  String sql(String name);

  /** The statement {@code name} with extra placeholder values (validated identifiers), not cached. */
  String sql(String name, Map<String, String> extraPlaceholders);

  /** The names of all the component's statements for this dialect: see {@link Statements#names}. */
  List<String> statementNames();

  /**
   * Whether the dialect has the statement {@code name}: how a module asks for an optional
   * capability (a statement only some databases have) instead of comparing dialect names.
   */
  boolean has(String name);

  /** The store's table prefix, unqualified ({@code fabula_}), as catalogs list table names. */
  String tablePrefix();

  /** The store's table prefix qualified with its schema where the database has schemas. */
  String qualifiedPrefix();

  /** Runs reads on a pooled connection outside a transaction; errors translated. */
  <T> T read(String action, HandleCallback<T, RuntimeException> work);

  /**
   * Runs reads that must never write (status reports, inspections) on a pooled connection the
   * database keeps from writing (see {@link ReadOnly}); errors translated.
   */
  <T> T readOnly(String action, HandleCallback<T, RuntimeException> work);

  /** Runs writes in one store transaction (see the class comment); errors translated. */
  <T> T write(String action, HandleCallback<T, RuntimeException> work);

  /** Like {@link #write}, with the store's {@link dev.fabula.Transaction}, for work that also appends. */
  <T, X extends Exception> T inTransaction(String action, TransactionCallback<T, X> work) throws X;

  /** Translates a failure of a statement run on a caller's handle (inside a caller's transaction). */
  EventStoreException translate(RuntimeException error, String action);

  /**
   * Whether the database has one writer at a time (SQLite): then several writes are better done
   * in one {@link #write} than in many.
   */
  boolean singleWriter();

  /** Notifications between processes: real on PostgreSQL, absent on SQLite. */
  Notifications notifications();

  /**
   * The store's retries after a lost connection ({@code JdbcConfig.retryWindow}), for the
   * component's idempotent work: reads, and writes that prove their own effect (see {@link
   * ConnectionRetry} for which writes qualify).
   */
  ConnectionRetry connectionRetry();

  /** The value to bind for a time (microsecond precision, the dialect's encoding). */
  Object time(Instant instant);

  /** Binds a time that may be null, typed so that the database knows it is a time. */
  void bindTime(SqlStatement<?> statement, String name, @Nullable Instant instant);

  /** A time as a value inside a JSON parameter, in the dialect's encoding of times. */
  @Nullable Object jsonTime(@Nullable Instant instant);

  /** Reads a nullable time column. */
  @Nullable Instant readTime(ResultSet rs, String column) throws SQLException;

  /** Reads a nullable time column by position. */
  @Nullable Instant readTime(ResultSet rs, int column) throws SQLException;

  /** Binds a list of strings as the dialect's SQL expects it (an array, a JSON array). */
  void bindStrings(SqlStatement<?> statement, String name, Collection<String> values);

  /** Maps rows of the shared event column list ({@code ${event_columns}}), from column 1. */
  RowMapper<RecordedEvent> events();

  /**
   * The stored events of {@code tenant}'s namespace (null: the unconfined store's) carrying any of
   * {@code eventIds}, on {@code handle}.
   */
  List<RecordedEvent> findEvents(Handle handle, @Nullable String tenant, Collection<UUID> eventIds);

  /** Writes a statement parameter as JSON text. */
  static String json(Object value) {
    return ComponentDb.json(value);
  }

  /** Reads JSON text of a column that this library wrote with {@link #json}. */
  static <T> T fromJson(String json, TypeReference<T> type) {
    return ComponentDb.fromJson(json, type);
  }
}
