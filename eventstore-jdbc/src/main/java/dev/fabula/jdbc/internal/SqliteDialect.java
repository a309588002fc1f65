package dev.fabula.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import dev.fabula.AppendResult;
import dev.fabula.EventStoreException;
import dev.fabula.EventTypes;
import dev.fabula.InvalidInputException;
import dev.fabula.RecordedEvent;
import dev.fabula.StoreUnavailableException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.ExpectedParameters;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.spi.PreparedAppend;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite 3.35+, the embedded default: a file in WAL mode, fully synchronous commits, and one
 * writer at a time. In-process writers queue on a fair lock before {@code BEGIN IMMEDIATE}; other
 * processes on the same file wait up to {@link #BUSY_TIMEOUT_MS} for SQLite's own write lock,
 * then get a {@link StoreUnavailableException}.
 */
public final class SqliteDialect implements Dialect {

  /**
   * How long a writer waits for another process's write transaction by default, in milliseconds:
   * {@link dev.fabula.jdbc.JdbcConfig.Timeouts#DEFAULT_LOCK_TIMEOUT}; {@code JdbcConfig.withLockTimeout} changes it.
   */
  public static final int BUSY_TIMEOUT_MS = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReentrantLock writeLock = new ReentrantLock(true);
  /** The busy timeout of the store's pool (the lock timeout), for messages. */
  private volatile long busyTimeoutMs = BUSY_TIMEOUT_MS;
  /** What opened this store read-only ("open_mode=1 in its URL"), or null. */
  private volatile @Nullable String readOnlyBy;
  private final RowMapper<RecordedEvent> storedMapper = eventMapper(EventTypes.defaultMapper(), 1);

  /** The ServiceLoader constructor. */
  public SqliteDialect() {}

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public boolean accepts(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:sqlite:");
  }

  @Override
  public boolean acceptsProduct(String productName) {
    return "SQLite".equalsIgnoreCase(productName);
  }

  @Override
  public Dialect newInstance() {
    return new SqliteDialect();
  }

  @Override
  public void configurePool(HikariConfig pool, dev.fabula.jdbc.JdbcConfig config) {
    configurePool(pool);
    Duration lock = config.timeouts().lockTimeout();
    busyTimeoutMs = lock.isZero() ? Integer.MAX_VALUE : Math.min(lock.toMillis(), Integer.MAX_VALUE);
    pool.addDataSourceProperty("busy_timeout", String.valueOf(busyTimeoutMs));
  }

  @Override
  public void configurePool(HikariConfig pool) {
    String url = pool.getJdbcUrl();
    if (url.contains(":memory:") || url.equals("jdbc:sqlite:") || url.contains("mode=memory")) {
      throw new InvalidInputException(
          "'" + dev.fabula.internal.Secrets.mask(url) + "' is an in-memory SQLite database, which each pooled connection would see empty; "
              + "use a file (jdbc:sqlite:app.db) or EventStore.inMemory(config)");
    }
    createParentFolder(url);
    String readOnlyParameter = SqliteFileErrors.readOnlyParameter(url);
    if (readOnlyParameter != null) {
      readOnlyBy = readOnlyParameter + " in its URL";
    }
    if (readOnlyParameter != null && readOnlyParameter.toLowerCase(java.util.Locale.ROOT).startsWith("open_mode")) {
      // The driver refuses to change a connection's read-only flag once open: the pool must agree.
      pool.setReadOnly(true);
    }
    pool.addDataSourceProperty("journal_mode", "WAL");
    if (!url.matches(".*[?&]synchronous=.*")) {
      pool.addDataSourceProperty("synchronous", "FULL"); // unless the URL chooses (?synchronous=NORMAL)
    }
    pool.addDataSourceProperty("busy_timeout", String.valueOf(BUSY_TIMEOUT_MS));
    pool.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    pool.addDataSourceProperty("foreign_keys", "true");
    // The driver would otherwise prepare and run SELECT last_insert_rowid() after every INSERT (and
    // match each statement against a pattern) for getGeneratedKeys, which the store never calls.
    pool.addDataSourceProperty("jdbc.get_generated_keys", "false");
  }

  /** Creates the folder of the database file, so that {@code jdbc:sqlite:data/app.db} just works. */
  private static void createParentFolder(String url) {
    String path = url.substring("jdbc:sqlite:".length());
    if (path.startsWith("file:")) {
      path = path.substring("file:".length());
    }
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    java.nio.file.Path parent = java.nio.file.Path.of(path).toAbsolutePath().getParent();
    if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
      try {
        java.nio.file.Files.createDirectories(parent);
      } catch (java.io.IOException e) {
        throw new StoreUnavailableException("cannot create the folder " + parent + " for the SQLite file: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String resourceFolder() {
    return "dev/fabula/jdbc/sqlite";
  }

  @Override
  public Map<String, String> placeholders(Handle handle, JdbcConfig config) {
    return Map.of("prefix", config.tablePrefix(), "qualified_prefix", config.tablePrefix());
  }

  @Override
  public void lockForMigration(Handle handle, Map<String, String> placeholders) {
    // The migration transaction began with BEGIN IMMEDIATE: it already holds the write lock. That
    // holds for the store's own pool; a DataSource of the caller's must be set up the same way.
    checkConnection(handle);
  }

  @Override
  public void checkConnection(Handle handle) {
    org.sqlite.SQLiteConnection connection;
    boolean readOnlyConnection;
    try {
      connection = handle.getConnection().unwrap(org.sqlite.SQLiteConnection.class);
      readOnlyConnection = connection.isReadOnly();
    } catch (java.sql.SQLException e) {
      return; // not the xerial driver: nothing we can check
    }
    if (readOnlyBy == null && readOnlyConnection) {
      readOnlyBy = "its data source opens read-only connections";
    }
    String journal = handle.createQuery("PRAGMA journal_mode").mapTo(String.class).one();
    if (connection.getConnectionConfig().getTransactionMode() != org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE
        || !"wal".equalsIgnoreCase(journal)) {
      throw new InvalidInputException("the SQLite DataSource must open connections with transaction_mode=IMMEDIATE and "
          + "journal_mode=WAL (it has " + connection.getConnectionConfig().getTransactionMode() + " and " + journal
          + "), as JdbcEventStore.open(url) does, or concurrent writers fail at once with SQLITE_BUSY: set the data "
          + "source properties transaction_mode=IMMEDIATE, journal_mode=WAL, busy_timeout=10000, foreign_keys=true "
          + "and synchronous=FULL (see docs/sqlite.md), or open the store with a jdbc:sqlite: URL");
    }
  }

  @Override
  public List<RecordedEvent> findEvents(Handle handle, Statements sql, @Nullable String tenant, Collection<UUID> eventIds) {
    return handle.createQuery(sql.get("find_events"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("event_ids", json(eventIds.stream().map(UUID::toString).toList()))
        .map(storedMapper)
        .list();
  }

  @Override
  public @Nullable AppendResult append(
      Handle handle, Statements sql, PreparedAppend append, @Nullable String tenant, Instant now) {
    List<AppendResult> results = appendMany(handle, sql, List.of(append), tenant, now);
    return results == null ? null : results.get(0);
  }

  /**
   * Moves each stream's version (one conditional statement per stream, which also checks that
   * none of its event ids is stored), then inserts every event in one batch; through plain JDBC
   * ({@link SqliteAppends} says why).
   */
  @Override
  public @Nullable List<AppendResult> appendMany(
      Handle handle, Statements sql, List<PreparedAppend> appends, @Nullable String tenant, Instant now) {
    return SqliteAppends.append(handle, sql, appends, tenant, now);
  }

  @Override
  public String deleteStatement(Statements sql, ExpectedParameters expected) {
    return sql.get(expected.mayCreate() ? "delete_stream" : "delete_existing_stream");
  }

  @Override
  public long safeHorizon(Handle handle, Statements sql) {
    return handle.createQuery(sql.get("safe_horizon")).mapTo(Long.class).one();
  }

  @Override
  public void bindStrings(SqlStatement<?> statement, String name, Collection<String> values) {
    statement.bind(name, json(values));
  }

  private static String json(Collection<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new EventStoreException("cannot encode a list of strings as JSON", e);
    }
  }

  @Override
  public UUID readUuid(ResultSet rs, int column) throws SQLException {
    return UUID.fromString(rs.getString(column));
  }

  @Override
  public Object timestamp(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  @Override
  public Instant readTimestamp(ResultSet rs, int column) throws SQLException {
    long micros = rs.getLong(column);
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  @Override
  public boolean singleWriter() {
    return true;
  }

  @Override
  public Lock writeLock() {
    return writeLock;
  }

  @Override
  public boolean isRetryable(Exception error) {
    SQLiteException e = Errors.cause(error, SQLiteException.class);
    return e != null && e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
        && e.getMessage().contains("events.event_id");
  }

  @Override
  public EventStoreException translate(Exception error, String action) {
    if (error instanceof EventStoreException e) {
      return e;
    }
    SQLiteException e = Errors.cause(error, SQLiteException.class);
    if (e != null) {
      SQLiteErrorCode code = e.getResultCode();
      if (code == SQLiteErrorCode.SQLITE_BUSY || code.name().startsWith("SQLITE_BUSY")
          || code == SQLiteErrorCode.SQLITE_LOCKED || code.name().startsWith("SQLITE_LOCKED")) {
        return new StoreUnavailableException(
            "the SQLite file stayed locked by another process for more than " + busyTimeoutMs + " ms (the lock "
                + "timeout, JdbcConfig.withLockTimeout) while " + action + "; retry, keep one writing process per "
                + "file, or move to PostgreSQL", error);
      }
      if (code.name().startsWith("SQLITE_READONLY")) {
        return SqliteFileErrors.readOnly(readOnlyBy, e, action, error);
      }
      if (code.name().startsWith("SQLITE_CANTOPEN")) {
        return new StoreUnavailableException(
            "cannot write the SQLite file while " + action + " (" + e.getMessage() + "); check the path and its permissions", error);
      }
      if (code == SQLiteErrorCode.SQLITE_FULL || code.name().startsWith("SQLITE_IOERR")) {
        return SqliteFileErrors.diskError(code, action, error);
      }
      return new EventStoreException("SQLite failed while " + action + ": " + e.getMessage(), error);
    }
    SQLException sqlError = Errors.cause(error, SQLException.class);
    if (sqlError != null && sqlError.getMessage() != null && sqlError.getMessage().contains("read-only flag")) {
      return new InvalidInputException("the SQLite connections were opened read-only (SQLiteConfig.setReadOnly or "
          + "open_mode=1) but the pool asks for writable ones: open the store with the read-only URL itself "
          + "(jdbc:sqlite:app.db?open_mode=1), or set readOnly on the caller's pool as well");
    }
    if (dev.fabula.jdbc.spi.ConnectionRetry.isConnectionFailure(error)) {
      return new StoreUnavailableException("no connection to the SQLite database while " + action + " ("
          + (sqlError != null ? sqlError.getMessage() : error.getMessage()) + "); check its data source and retry", error);
    }
    return new EventStoreException(
        "SQLite failed while " + action + ": " + (sqlError != null ? sqlError.getMessage() : error.getMessage()), error);
  }
}
