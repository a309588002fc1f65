package dev.fabula.jdbc.spi;

import com.zaxxer.hikari.HikariConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.AppendResult;
import dev.fabula.EventStoreException;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.spi.PreparedAppend;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * What differs between SQL databases, for the JDBC event store. Found with {@link
 * java.util.ServiceLoader} (list the class in {@code META-INF/services/dev.fabula.jdbc.spi.Dialect}).
 *
 * <p>A dialect ships its SQL as classpath resources under {@link #resourceFolder()}: one statement
 * per file (the file names the built-in dialects use are the contract: {@code stream_info.sql},
 * {@code read_stream_forwards.sql}, {@code read_all.sql}…) and numbered schema migrations under
 * {@code migrations/V<n>__<description>.sql}. Placeholders {@code ${schema}} and {@code ${prefix}}
 * are replaced by {@link #placeholders}. Everything else the store does is shared code, so a new
 * dialect passes the same contract suite ({@code dev.fabula.testkit.contract}).
 *
 * <p>Implementations are stateless or thread-safe; one instance serves one store.
 */
public interface Dialect {

  /** A short name, such as {@code postgresql}. */
  String name();

  /** Whether this dialect serves {@code jdbcUrl}. */
  boolean accepts(String jdbcUrl);

  /** Whether this dialect serves a database whose JDBC product name is {@code productName}. */
  boolean acceptsProduct(String productName);

  /** A fresh instance for one store (dialects may keep per-store state such as a write lock). */
  Dialect newInstance();

  /** Adjusts the connection pool the store creates for a URL (driver settings, pragmas). */
  default void configurePool(HikariConfig pool) {}

  /**
   * Adjusts the store's own pool with the store's settings too: its {@link JdbcConfig#timeouts()}
   * (statement and lock timeouts, socket timeout, keepalive) as this database takes them. The
   * default applies {@link #configurePool(HikariConfig)} only.
   */
  default void configurePool(HikariConfig pool, JdbcConfig config) {
    configurePool(pool);
  }

  /** The classpath folder of this dialect's SQL files, such as {@code dev/fabula/jdbc/postgresql}. */
  String resourceFolder();

  /**
   * The values of the SQL placeholders, read once when the store opens: at least {@code prefix}
   * (the table prefix) and {@code qualified_prefix} (the prefix qualified with the schema where the
   * database has schemas).
   *
   * @param config the store's table prefix and schema ({@link JdbcConfig#tablePrefix()}, {@link
   *     JdbcConfig#schema()}); the pool size is not the dialect's concern
   */
  Map<String, String> placeholders(Handle handle, JdbcConfig config);

  /**
   * Checks that a connection is set up as the store needs (for example a caller's data source);
   * called once at open, whether or not the store migrates. Throws with advice when it is not.
   */
  default void checkConnection(Handle handle) {}

  /** Prepares the database before migrations (for example creates the schema). */
  default void beforeMigrations(Handle handle, Map<String, String> placeholders) {}

  /**
   * Makes sure only one process migrates at a time; called first in the migration transaction, the
   * lock must end with it.
   */
  void lockForMigration(Handle handle, Map<String, String> placeholders);

  /**
   * The key of a tenant's namespace in the tables' {@code tenant_id} columns: the tenant id, or
   * {@code ''} for the unconfined store (a key column cannot be null). Streams, event ids and
   * snapshots are unique per namespace.
   */
  static String tenantKey(@Nullable String tenant) {
    return tenant == null ? "" : tenant;
  }

  /** The tenant a stored {@code tenant_id} names: null for {@code ''} (no tenant). */
  static @Nullable String tenantOf(@Nullable String key) {
    return key == null || key.isEmpty() ? null : key;
  }

  /**
   * The stored events of {@code tenant}'s namespace (null: the unconfined store's) carrying any of
   * {@code eventIds}: what a retried append finds.
   */
  List<RecordedEvent> findEvents(Handle handle, Statements sql, @Nullable String tenant, Collection<UUID> eventIds);

  /**
   * Appends one stream's batch: fences the transaction for global-log readers where the database
   * needs it (so that they never skip a late commit), moves the stream's version as {@code
   * append.expected()} allows (see {@link ExpectedParameters}) and inserts the events — unless one
   * of the event ids is already stored.
   *
   * @param tenant the appending view's tenant, whose namespace the stream and ids are in ({@link
   *     #tenantKey}); null for the unconfined store
   * @return what was written, or null when an id was already stored or the expectation or
   *     tombstone forbade the append: then nothing was written, the transaction is still usable,
   *     and the caller finds out which with {@link #findEvents} and the stream row
   */
  @Nullable AppendResult append(Handle handle, Statements sql, PreparedAppend append, @Nullable String tenant, Instant now);

  /**
   * Appends several streams' batches at once, where the database can do it in fewer round trips
   * than {@link #append} stream by stream (a backfill writes hundreds of streams per transaction).
   * The same fence, id guard and expectations as {@link #append}. The caller can undo it: it holds a
   * savepoint taken just before, or (a group commit's statement, first in its transaction) rolls the
   * transaction back.
   *
   * @return the results in the order of {@code appends}; or null when any check failed, or the
   *     dialect has no such statement (the default): then the caller rolls back to its savepoint or
   *     the transaction's start, since part may have been written, and appends stream by stream to
   *     learn what failed
   */
  default @Nullable List<AppendResult> appendMany(
      Handle handle, Statements sql, List<PreparedAppend> appends, @Nullable String tenant, Instant now) {
    return null;
  }

  /**
   * Reads the rows of the shared event column list ({@code position, stream_id, stream_version,
   * event_id, event_type, schema_version, tenant_id, correlation_id, causation_id, actor, metadata,
   * payload, recorded_at}) into events; what every dialect's read statements select.
   */
  default RowMapper<RecordedEvent> eventMapper(ObjectMapper json, int firstColumn) {
    return new EventRowMapper(this, json, firstColumn);
  }

  /**
   * The newest position global-log readers may return: every event at or below it has committed
   * or rolled back. Runs outside any transaction.
   */
  long safeHorizon(Handle handle, Statements sql);

  /** Binds a list of strings (an array or a JSON array, as the dialect's SQL expects). */
  void bindStrings(SqlStatement<?> statement, String name, Collection<String> values);

  /**
   * The statement that soft-deletes a stream under {@code expected}; it binds {@code :stream_id,
   * :tenant_id, :may_create, :may_update, :expected} (see {@link ExpectedParameters}) and returns
   * a row when it deleted.
   */
  default String deleteStatement(Statements sql, ExpectedParameters expected) {
    return sql.get("delete_stream");
  }

  /**
   * Whether other processes can be told of appends (PostgreSQL's LISTEN/NOTIFY): then the store
   * calls {@link #notifyAppended} after commits, and modules may {@link #listen}. False where the
   * in-process signal and polling must do.
   */
  default boolean hasNotifications() {
    return false;
  }

  /** Announces appends up to {@code position} on {@code channel}; outside any transaction. */
  default void notifyAppended(Handle handle, Statements sql, String channel, long position) {}

  /**
   * Starts listening on {@code channel} on {@code connection} (a dedicated connection in
   * auto-commit mode), for dialects that {@link #hasNotifications}; the default refuses.
   *
   * @param channel a validated identifier
   */
  default void listen(Connection connection, String channel) throws SQLException {
    throw new SQLException("the " + name() + " dialect has no notifications between processes");
  }

  /**
   * Waits up to {@code timeoutMillis} for notifications on a connection that {@link #listen}s.
   *
   * @return whether at least one notification arrived
   */
  default boolean awaitNotifications(Connection connection, int timeoutMillis) throws SQLException {
    throw new SQLException("the " + name() + " dialect has no notifications between processes");
  }

  /** Reads an event id column. */
  UUID readUuid(ResultSet rs, int column) throws SQLException;

  /** The value to bind for a timestamp. */
  Object timestamp(Instant instant);

  /** Reads a timestamp column. */
  Instant readTimestamp(ResultSet rs, int column) throws SQLException;

  /**
   * Whether the database has one writer at a time (SQLite). Then every concurrent stand-alone
   * append shares the next commit (group commit, one group at a time), and modules serialise their
   * writes on {@link #writeLock()}. Where writers run in parallel (PostgreSQL), several appends run
   * at once, each in its own transaction, and only appends beyond those share commits, combined
   * with {@link #appendMany}.
   */
  default boolean singleWriter() {
    return false;
  }

  /**
   * A lock every writing transaction of this store takes first, for databases with one writer at a
   * time (SQLite), so that in-process writers queue fairly instead of spinning on busy errors; a
   * no-op lock where the database handles concurrent writers.
   */
  Lock writeLock();

  /**
   * Translates a database error into the store's exceptions, by SQLState, vendor code and
   * constraint name; the one place this dialect's errors are interpreted.
   *
   * @param error the exception Jdbi or JDBC threw
   * @param action what the store was doing, for the message ("appending to stream 'x'")
   */
  EventStoreException translate(Exception error, String action);

  /**
   * Whether {@code error} (already translated) is transient and the whole transaction may be
   * retried as is: a deadlock, a serialisation failure, a unique-key race between two appends of
   * the same new event id.
   */
  default boolean isRetryable(Exception error) {
    return false;
  }
}
