package dev.fabula.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.EventStoreException;
import dev.fabula.RecordedEvent;
import dev.fabula.TransactionCallback;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Migrations;
import dev.fabula.jdbc.spi.Notifications;
import dev.fabula.jdbc.spi.Statements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * {@link ComponentDatabase} over the store's backend: the component's statements (its dialect
 * folder, then its {@code common} folder), reads on the store's Jdbi, writes through the store's
 * own transactions, and the dialect for everything that differs between databases.
 */
public final class ComponentDb implements ComponentDatabase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcBackend backend;
  private final Dialect dialect;
  private final Statements sql;
  private final RowMapper<RecordedEvent> events;
  /** Whether the dialect binds times as numbers (SQLite: microseconds) rather than timestamps. */
  private final boolean numericTimes;

  private ComponentDb(JdbcBackend backend, Statements sql) {
    this.backend = backend;
    this.dialect = backend.dialect();
    this.sql = sql;
    this.events = dialect.eventMapper(backend.config().eventTypes().mapper(), 1);
    this.numericTimes = dialect.timestamp(Instant.EPOCH) instanceof Number;
  }

  /** See {@link ComponentDatabase#open}. */
  public static ComponentDatabase open(JdbcEventStore store, Component component) {
    return open(backendOf(store, "the " + component.name() + " component"), component);
  }

  /** Opens {@code component} on {@code backend}: checks (or migrates) its tables. */
  static ComponentDb open(JdbcBackend backend, Component component) {
    Dialect dialect = backend.dialect();
    String own = component.folder() + "/" + dialect.name();
    ClassLoader loader = component.anchor().getClassLoader();
    if (loader.getResource(own + "/migrations/" + component.migrations().get(0)) == null) {
      throw new EventStoreException("the " + component.name() + " component has no SQL for the " + dialect.name()
          + " dialect; add " + own + "/ with its migrations and the statements that differ (see docs/spi.md)");
    }
    // The store's folders come last: their fragments (${event_columns}) serve the component too.
    Statements sql = new Statements(loader,
        List.of(own, component.folder() + "/common", dialect.resourceFolder(), JdbcBackend.COMMON_FOLDER),
        backend.statements().placeholders());
    Migrations.ensure(backend.jdbi(), dialect, sql, component.name(), component.migrations(), backend.jdbcConfig());
    return new ComponentDb(backend, sql);
  }

  /** See {@link Notifications#of}. */
  public static Notifications notifications(JdbcEventStore store) {
    return backendOf(store, "notifications").notifications();
  }

  private static JdbcBackend backendOf(JdbcEventStore store, String who) {
    if (!(store instanceof StoreRoot root)) {
      throw new EventStoreException(who + " needs a store opened with JdbcEventStore.open, not a "
          + store.getClass().getName());
    }
    return root.backend();
  }

  @Override
  public String dialectName() {
    return dialect.name();
  }

  @Override
  public String sql(String name) {
    return sql.get(name);
  }

  @Override
  public String sql(String name, Map<String, String> extraPlaceholders) {
    return sql.with(extraPlaceholders).get(name);
  }

  @Override
  public List<String> statementNames() {
    return sql.names();
  }

  @Override
  public boolean has(String name) {
    return sql.has(name);
  }

  @Override
  public String tablePrefix() {
    return backend.jdbcConfig().tablePrefix();
  }

  @Override
  public String qualifiedPrefix() {
    return sql.placeholders().get("qualified_prefix");
  }

  @Override
  public <T> T read(String action, HandleCallback<T, RuntimeException> work) {
    return backend.withHandle(action, work);
  }

  /**
   * Reads rows of {@code tenant}'s namespace (null: the unconfined store's), with the tenant set
   * for the policies when row-level security is on; for the store's own components.
   */
  <T> T read(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> work) {
    return backend.read(tenant, action, work);
  }

  /** Writes rows of {@code tenant}'s namespace in a store transaction of that tenant. */
  <T> T write(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> work) {
    try {
      return backend.transaction(tenant, tx -> work.withHandle(tx.unwrap(Handle.class)), action);
    } catch (JdbiException e) {
      throw dialect.translate(e, action);
    }
  }

  @Override
  public <T> T readOnly(String action, HandleCallback<T, RuntimeException> work) {
    return backend.withHandle(action, h -> dev.fabula.jdbc.spi.ReadOnly.run(h, work));
  }

  @Override
  public <T> T write(String action, HandleCallback<T, RuntimeException> work) {
    return inTransaction(action, tx -> work.withHandle(tx.unwrap(Handle.class)));
  }

  @Override
  public <T, X extends Exception> T inTransaction(String action, TransactionCallback<T, X> work) throws X {
    try {
      return backend.transaction(null, work, action);
    } catch (JdbiException e) {
      throw dialect.translate(e, action);
    }
  }

  @Override
  public EventStoreException translate(RuntimeException error, String action) {
    return error instanceof EventStoreException e ? e : dialect.translate(error, action);
  }

  @Override
  public boolean singleWriter() {
    return dialect.singleWriter();
  }

  @Override
  public Notifications notifications() {
    return backend.notifications();
  }

  @Override
  public dev.fabula.jdbc.spi.ConnectionRetry connectionRetry() {
    return backend.connectionRetry();
  }

  @Override
  public Object time(Instant instant) {
    return dialect.timestamp(instant.truncatedTo(ChronoUnit.MICROS));
  }

  @Override
  public void bindTime(SqlStatement<?> statement, String name, @Nullable Instant instant) {
    if (instant != null) {
      statement.bind(name, time(instant));
    } else {
      statement.bindNull(name, numericTimes ? Types.BIGINT : Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }

  @Override
  public @Nullable Object jsonTime(@Nullable Instant instant) {
    if (instant == null) {
      return null;
    }
    return numericTimes ? time(instant) : instant.truncatedTo(ChronoUnit.MICROS).toString();
  }

  @Override
  public @Nullable Instant readTime(ResultSet rs, String column) throws SQLException {
    return readTime(rs, rs.findColumn(column));
  }

  @Override
  public @Nullable Instant readTime(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column) == null ? null : dialect.readTimestamp(rs, column);
  }

  @Override
  public void bindStrings(SqlStatement<?> statement, String name, Collection<String> values) {
    dialect.bindStrings(statement, name, values);
  }

  @Override
  public RowMapper<RecordedEvent> events() {
    return events;
  }

  @Override
  public List<RecordedEvent> findEvents(Handle handle, @Nullable String tenant, Collection<UUID> eventIds) {
    return dialect.findEvents(handle, backend.statements(), tenant, eventIds);
  }

  /** See {@link ComponentDatabase#json}. */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new EventStoreException("cannot write a statement parameter as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** See {@link ComponentDatabase#fromJson}. */
  public static <T> T fromJson(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new EventStoreException("a stored JSON value is not what this library wrote: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ComponentDatabase[" + dialect.name() + "]";
  }
}
