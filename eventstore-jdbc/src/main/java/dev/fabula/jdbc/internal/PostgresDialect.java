package dev.fabula.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import dev.fabula.AppendResult;
import dev.fabula.EventStoreException;
import dev.fabula.EventTypes;
import dev.fabula.RecordedEvent;
import dev.fabula.StoreUnavailableException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.ExpectedParameters;
import dev.fabula.jdbc.spi.NamedStatement;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.spi.PreparedAppend;
import dev.fabula.spi.PreparedEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * PostgreSQL 14+: jsonb payloads, positions from an uncached sequence, concurrent appenders
 * fenced with shared advisory locks so that global-log readers never skip a late commit (the
 * reasoning is in {@code append.sql}).
 */
public final class PostgresDialect implements Dialect {

  /**
   * High half of the migration lock's one-bigint key ("FAB1"): a bigint key shows as objsubid 1 in
   * pg_locks, so it is never mistaken for a fence (two-int keys, objsubid 2).
   */
  private static final long MIGRATION_LOCK_CLASS = 0x46414231L; // "FAB1"

  private final PostgresFence fence = new PostgresFence();
  private final AtomicReference<NamedStatement> appendManyStatement = new AtomicReference<>();
  private final AtomicReference<NamedStatement> appendStatement = new AtomicReference<>();
  private final AtomicReference<NamedStatement> appendOneStatement = new AtomicReference<>();
  private final AtomicReference<NamedStatement> notifyStatement = new AtomicReference<>();
  private final RowMapper<RecordedEvent> storedMapper = eventMapper(EventTypes.defaultMapper(), 1);

  /** The ServiceLoader constructor. */
  public PostgresDialect() {}

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public boolean accepts(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }

  @Override
  public boolean acceptsProduct(String productName) {
    return "PostgreSQL".equalsIgnoreCase(productName);
  }

  @Override
  public Dialect newInstance() {
    return new PostgresDialect();
  }

  @Override
  public void configurePool(HikariConfig pool) {
    pool.addDataSourceProperty("reWriteBatchedInserts", "true");
    pool.addDataSourceProperty("ApplicationName", "fabula");
  }

  /** Also the store's timeouts: see {@link PostgresSessions#configure}. */
  @Override
  public void configurePool(HikariConfig pool, JdbcConfig config) {
    configurePool(pool);
    PostgresSessions.configure(pool, config.timeouts());
  }

  @Override
  public String resourceFolder() {
    return "dev/fabula/jdbc/postgresql";
  }

  @Override
  public Map<String, String> placeholders(Handle handle, JdbcConfig config) {
    String schema = config.schema() != null
        ? config.schema()
        : Identifiers.schema(handle.createQuery("SELECT current_schema()").mapTo(String.class).findOne().orElse(null));
    return Map.of(
        "schema", schema,
        "prefix", config.tablePrefix(),
        "qualified_prefix", schema + "." + config.tablePrefix());
  }

  @Override
  public void beforeMigrations(Handle handle, Map<String, String> placeholders) {
    // Only when absent: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the
    // schema exists, and an owner role that was given its schema need not have that.
    // to_regnamespace reads the placeholder as SQL does: a quoted "MyApp" is MyApp, not myapp.
    boolean exists = handle.createQuery("SELECT to_regnamespace(:schema) IS NOT NULL")
        .bind("schema", placeholders.get("schema")).mapTo(Boolean.class).one();
    if (!exists) {
      handle.execute("CREATE SCHEMA " + placeholders.get("schema"));
    }
  }

  @Override
  public void lockForMigration(Handle handle, Map<String, String> placeholders) {
    // A migration may wait for another process's and rewrite big tables: no store timeouts for it.
    handle.execute("SET LOCAL statement_timeout = 0");
    handle.execute("SET LOCAL lock_timeout = 0");
    // Stores whose names share a hash only migrate one after the other: harmless.
    long store = placeholders.get("qualified_prefix").hashCode() & 0xFFFF_FFFFL;
    handle.createQuery("SELECT pg_advisory_xact_lock(:key)")
        .bind("key", (MIGRATION_LOCK_CLASS << 32) | store)
        .mapToMap().one();
  }

  @Override
  public List<RecordedEvent> findEvents(Handle handle, Statements sql, @Nullable String tenant, Collection<UUID> eventIds) {
    return handle.createQuery(sql.get("find_events"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bindArray("event_ids", UUID.class, eventIds)
        .map(storedMapper)
        .list();
  }

  @Override
  public @Nullable AppendResult append(
      Handle handle, Statements sql, PreparedAppend append, @Nullable String tenant, Instant now) {
    ExpectedParameters p = ExpectedParameters.of(append.expected());
    boolean one = append.events().size() == 1;
    NamedStatement statement = one
        ? appendOneStatement.updateAndGet(cached -> cached != null ? cached : NamedStatement.parse(sql.get("append_one")))
        : appendStatement.updateAndGet(cached -> cached != null ? cached : NamedStatement.parse(sql.get("append")));
    java.sql.Connection c = handle.getConnection();
    List<long[]> rows = new ArrayList<>(append.events().size());
    // Bound with plain JDBC: on this hot path Jdbi's reflective binding cost more than the statement.
    try (NamedStatement.Binder b = statement.prepare(c)) {
      b.set("fence_key", fence.key(handle, sql), Types.INTEGER)
          .set("stream_id", append.streamId(), Types.VARCHAR)
          .set("category", dev.fabula.Streams.category(append.streamId()), Types.VARCHAR)
          .set("tenant_id", Dialect.tenantKey(tenant), Types.VARCHAR)
          .set("may_create", p.mayCreate(), Types.BOOLEAN)
          .set("may_update", p.mayUpdate(), Types.BOOLEAN)
          .set("expected", p.expected(), Types.BIGINT)
          .set("recorded_at", timestamp(now), Types.TIMESTAMP_WITH_TIMEZONE);
      if (one) {
        // append_one.sql: the event's columns as plain parameters, no arrays to build or unnest.
        PreparedEvent e = append.events().get(0);
        b.set("event_id", e.eventId(), Types.OTHER)
            .set("event_type", e.type(), Types.VARCHAR)
            .set("schema_version", e.schemaVersion(), Types.INTEGER)
            .set("correlation_id", e.metadata().correlationId(), Types.VARCHAR)
            .set("causation_id", e.metadata().causationId(), Types.VARCHAR)
            .set("actor", e.metadata().actor(), Types.VARCHAR)
            .set("metadata", e.entriesJson(), Types.VARCHAR)
            .set("payload", e.payloadJson(), Types.VARCHAR);
      } else {
        b.set("count", (long) append.events().size(), Types.BIGINT);
        new PostgresEventColumns(List.of(append)).bind(b, c);
      }
      try (ResultSet rs = b.statement().executeQuery()) {
        while (rs.next()) {
          rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
        }
      }
    } catch (SQLException e) {
      throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
    }
    return rows.isEmpty() ? null : result(append.streamId(), rows);
  }

  /** All streams in one statement (append_many.sql). */
  @Override
  public @Nullable List<AppendResult> appendMany(
      Handle handle, Statements sql, List<PreparedAppend> appends, @Nullable String tenant, Instant now) {
    int streams = appends.size();
    Object[] streamIds = new Object[streams];
    Object[] categories = new Object[streams];
    Object[] counts = new Object[streams];
    Object[] mayCreate = new Object[streams];
    Object[] mayUpdate = new Object[streams];
    Object[] expected = new Object[streams];
    List<Long> ordinals = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      PreparedAppend a = appends.get(i);
      ExpectedParameters p = ExpectedParameters.of(a.expected());
      streamIds[i] = a.streamId();
      categories[i] = dev.fabula.Streams.category(a.streamId());
      counts[i] = (long) a.events().size();
      mayCreate[i] = p.mayCreate();
      mayUpdate[i] = p.mayUpdate();
      expected[i] = p.expected();
      for (int seq = 1; seq <= a.events().size(); seq++) {
        ordinals.add(i + 1L);
        seqs.add((long) seq);
      }
    }
    NamedStatement statement = appendManyStatement.updateAndGet(cached -> cached != null ? cached : NamedStatement.parse(sql.get("append_many")));
    java.sql.Connection c = handle.getConnection();
    Map<String, List<long[]>> rows = new java.util.HashMap<>();
    try (NamedStatement.Binder b = statement.prepare(c)) {
      b.set("fence_key", fence.key(handle, sql), Types.INTEGER)
          .set("tenant_id", Dialect.tenantKey(tenant), Types.VARCHAR)
          .set("recorded_at", timestamp(now), Types.TIMESTAMP_WITH_TIMEZONE)
          .set("stream_ids", c.createArrayOf("text", streamIds), Types.ARRAY)
          .set("categories", c.createArrayOf("text", categories), Types.ARRAY)
          .set("counts", c.createArrayOf("int8", counts), Types.ARRAY)
          .set("may_create", c.createArrayOf("bool", mayCreate), Types.ARRAY)
          .set("may_update", c.createArrayOf("bool", mayUpdate), Types.ARRAY)
          .set("expected", c.createArrayOf("int8", expected), Types.ARRAY)
          .set("stream_ordinals", c.createArrayOf("int8", ordinals.toArray()), Types.ARRAY)
          .set("seqs", c.createArrayOf("int8", seqs.toArray()), Types.ARRAY);
      new PostgresEventColumns(appends).bind(b, c);
      try (ResultSet rs = b.statement().executeQuery()) {
        while (rs.next()) {
          rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
    } catch (SQLException e) {
      throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
    }
    if (rows.values().stream().mapToInt(List::size).sum() != ordinals.size()) {
      return null;
    }
    return appends.stream().map(a -> result(a.streamId(), rows.get(a.streamId()))).toList();
  }

  private static AppendResult result(String streamId, List<long[]> rows) {
    long firstPosition = Long.MAX_VALUE;
    long lastPosition = 0;
    long firstVersion = Long.MAX_VALUE;
    long lastVersion = 0;
    for (long[] r : rows) {
      firstPosition = Math.min(firstPosition, r[0]);
      lastPosition = Math.max(lastPosition, r[0]);
      firstVersion = Math.min(firstVersion, r[1]);
      lastVersion = Math.max(lastVersion, r[1]);
    }
    return new AppendResult(streamId, firstVersion, lastVersion, firstPosition, lastPosition);
  }

  @Override
  public long safeHorizon(Handle handle, Statements sql) {
    return fence.head(handle, sql);
  }

  @Override
  public boolean hasNotifications() {
    return true;
  }

  @Override
  public void notifyAppended(Handle handle, Statements sql, String channel, long position) {
    NamedStatement statement = notifyStatement.updateAndGet(cached -> cached != null ? cached : NamedStatement.parse(sql.get("notify_appended")));
    // Plain JDBC, as the append: this runs after most single-threaded appends' commits, and Jdbi's
    // statement machinery cost the client more than the statement (docs/benchmarks.md, ninth session).
    try (NamedStatement.Binder b = statement.prepare(handle.getConnection())) {
      b.set("channel", channel, Types.VARCHAR).set("position", Long.toString(position), Types.VARCHAR);
      b.statement().execute();
    } catch (SQLException e) {
      throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
    }
  }

  @Override
  public void listen(Connection connection, String channel) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("LISTEN " + channel);
    }
  }

  @Override
  public boolean awaitNotifications(Connection connection, int timeoutMillis) throws SQLException {
    return PgNotificationWait.await(connection, timeoutMillis);
  }

  @Override
  public void bindStrings(SqlStatement<?> statement, String name, Collection<String> values) {
    statement.bindArray(name, String.class, values);
  }

  @Override
  public UUID readUuid(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, UUID.class);
  }

  @Override
  public Object timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  @Override
  public Instant readTimestamp(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  @Override
  public Lock writeLock() {
    return NoLock.INSTANCE;
  }

  /**
   * The SQLState that the tenant fence's trigger raises ({@code fabula-migration}'s tenant move):
   * the tenant's writes are refused in this database.
   */
  static final String TENANT_FENCED = "FB001";

  @Override
  public boolean isRetryable(Exception error) {
    PSQLException pg = Errors.cause(error, PSQLException.class);
    if (pg == null) {
      return false;
    }
    String state = pg.getSQLState();
    // Deadlock, serialisation failure, or two appends racing to store the same new event id
    // (the retry then finds the id stored and returns the first append's result).
    return "40P01".equals(state) || "40001".equals(state)
        || ("23505".equals(state) && constraint(pg).endsWith("events_event_id_uk"));
  }

  @Override
  public EventStoreException translate(Exception error, String action) {
    if (error instanceof EventStoreException e) {
      return e;
    }
    PSQLException pg = Errors.cause(error, PSQLException.class);
    SQLException sqlError = Errors.cause(error, SQLException.class);
    String state = pg != null ? pg.getSQLState() : sqlError != null ? sqlError.getSQLState() : null;
    String message = dev.fabula.internal.Secrets.mask(pg != null ? pg.getMessage() : error.getMessage());
    if (state != null && (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300"))) {
      return new StoreUnavailableException(
          "PostgreSQL is unavailable while " + action + " (" + state + ": " + message + "); check the server and retry", error);
    }
    if ("55P03".equals(state) || "57014".equals(state)) {
      return Errors.timedOut("55P03".equals(state), action, state + ": " + message, error);
    }
    if ("42501".equals(state)) {
      return Errors.permissionDenied(action, message, error);
    }
    if (TENANT_FENCED.equals(state)) {
      return new dev.fabula.TenantMovingException("the tenant's writes are fenced in this database while "
          + action + ": it is being moved to another database, or was moved away (docs/tenant-databases.md); "
          + "nothing was written: retry once the move has switched, through the tenant directory", error);
    }
    if ("23505".equals(state) && pg != null && constraint(pg).endsWith("events_stream_version_uk")) {
      return new EventStoreException("a stream version was written twice while " + action
          + ": the streams table and the events table disagree (were rows changed by hand?)", error);
    }
    return new EventStoreException("PostgreSQL failed while " + action + " (SQLState " + state + "): " + message, error);
  }

  private static String constraint(PSQLException e) {
    ServerErrorMessage m = e.getServerErrorMessage();
    return m == null || m.getConstraint() == null ? "" : m.getConstraint();
  }

  /** A lock that does nothing: PostgreSQL handles concurrent writers itself. */
  enum NoLock implements Lock {
    INSTANCE;

    @Override public void lock() {}
    @Override public void lockInterruptibly() {}
    @Override public boolean tryLock() {
      return true;
    }
    @Override public boolean tryLock(long time, TimeUnit unit) {
      return true;
    }
    @Override public void unlock() {}
    @Override public Condition newCondition() {
      throw new UnsupportedOperationException("no conditions on a no-op lock");
    }
  }
}
