package dev.fabula.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.fabula.AppendResult;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StoreUnavailableException;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.TransactionCallback;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.ConnectionRetry;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Migrations;
import dev.fabula.jdbc.spi.Notifications;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.jdbc.spi.TransactionJoin;
import dev.fabula.internal.Secrets;
import dev.fabula.spi.Backend;
import dev.fabula.spi.KeyStores;
import dev.fabula.spi.PreparedAppend;
import dev.fabula.spi.StoreObserver;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC event store: opens the pool and the dialect, migrates the tables or checks their
 * version ({@link JdbcConfig#migrateOnOpen()}), and hands each call
 * to the collaborator that does it — {@link Appender} (appends in an open transaction), {@link
 * UnitsOfWork} (transactions, the write lock, retries, error translation), {@link GroupCommit}
 * (concurrent single-stream appends sharing one commit), {@link LogReader} (reads), {@link ReplicaReads}
 * (reads from a read replica, when configured), {@link StreamDeleter} (deletes) and {@link AppendNotifier}
 * (telling other processes). An append runs one way down:
 * here, then the unit of work, then the transaction's appender, then the dialect.
 */
public final class JdbcBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcBackend.class);
  /** The store's dialect-neutral statements, searched after the dialect's own folder. */
  static final String COMMON_FOLDER = "dev/fabula/jdbc/common";
  /** The event store's migrations, recorded as component {@code eventstore}; version n is the n-th. */
  public static final List<String> MIGRATIONS = List.of("V1__event_store.sql", "V2__tenant_namespaces.sql", "V3__privileged_hard_delete.sql");

  private final StoreContext store;
  private final JdbcConfig jdbcConfig;
  private final @Nullable HikariDataSource ownedPool;
  private final UnitsOfWork work;
  private final ConnectionRetry retry;
  private final GroupCommit groupCommit;
  private final LogReader reader;
  /** The reads from the read replica; null without one. */
  private final @Nullable ReplicaReads replica;
  /** Who reads the global log, and who reads streams: {@link #reader}, or the replica's. */
  private final LogReader logReads;
  private final LogReader streamReads;
  private final StreamDeleter deleter;
  private final JdbcErasure erasure;
  private final JdbcRetention retention;
  private final Notifications notifications;
  private final @Nullable AppendNotifier notifier;
  private final Observers observers = new Observers();

  private JdbcBackend(
      EventStoreConfig config, JdbcConfig jdbcConfig, Dialect dialect, DataSource dataSource, @Nullable HikariDataSource ownedPool,
      TransactionJoin join) {
    this.jdbcConfig = jdbcConfig;
    this.ownedPool = ownedPool;
    PoolConnections connections = new PoolConnections(dataSource, jdbcConfig, ownedPool != null);
    Jdbi jdbi = Jdbi.create(connections);
    // A bound parameter the statement does not use is an error (Jdbi's default, kept on purpose):
    // a misspelled binding fails at once instead of leaving a parameter unbound.
    jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(false);
    Map<String, String> placeholders = jdbi.withHandle(h -> {
      dialect.checkConnection(h);
      return dialect.placeholders(h, jdbcConfig);
    });
    Statements sql = new Statements(dialect.getClass().getClassLoader(), List.of(dialect.resourceFolder(), COMMON_FOLDER), placeholders);
    JdbcKeys keys = new JdbcKeys(jdbi, this::joining, dialect.singleWriter());
    config = KeyStores.resolve(config, keys::chosen);
    this.store = new StoreContext(config, dialect, jdbi, sql, dialect.eventMapper(config.eventTypes().mapper(), 1), new Tombstones());
    Migrations.ensure(jdbi, dialect, sql, "eventstore", MIGRATIONS, jdbcConfig);
    Appender appender = new Appender(store, observers::replayed);
    this.retry = new ConnectionRetry(jdbcConfig.timeouts().retryWindow(), this::evictIdleConnections);
    this.work = new UnitsOfWork(store, appender, jdbcConfig.rowLevelSecurity(), retry, join, connections);
    this.groupCommit = new GroupCommit(work, observers, dialect.singleWriter() ? 1 : GroupCommit.POSTGRES_LEADERS);
    this.retention = new JdbcRetention(store);
    this.reader = new LogReader(store, LogReader.primary(store, work), observers, retention.removalCheck());
    this.replica = ReplicaReads.open(jdbcConfig, store, LogReader.primary(store, work), observers, retention.removalCheck());
    this.logReads = replica == null ? reader : replica.reader();
    this.streamReads = replica == null || !replica.streamReads() ? reader : replica.reader();
    this.deleter = new StreamDeleter(store, work, appender);
    this.erasure = new JdbcErasure(this, store, deleter);
    this.notifications = new NotificationsImpl(jdbi, dialect, placeholders.get("qualified_prefix"));
    this.notifier = notifications.available()
        ? new AppendNotifier(jdbi, dialect, sql, notifications.channel("events"), AppendNotifier.SPACING)
        : null;
    if (notifier != null) {
      work.onAppend(notifier::signal);
    }
    keys.attach(this, config);
    erasure.attach();
    retention.attach(this, jdbcConfig.migrateOnOpen());
    LOG.info("Event store open: dialect {}, tables {}*, max payload {} bytes, row-level security {}, {}; {}",
        dialect.name(), placeholders.get("qualified_prefix"), config.maxPayloadBytes(),
        jdbcConfig.rowLevelSecurity() ? "on" : "off", ownedPool == null
            ? "connections from the caller's data source"
            : "pool of " + jdbcConfig.maxPoolSize() + " connections, " + jdbcConfig.connectionTimeout().toMillis() + " ms wait",
        StorePools.describe(jdbcConfig.timeouts(), ownedPool != null));
  }

  /**
   * After a lost connection the pool's idle connections are likely dead too (a server restart):
   * they are replaced, so that calls that cannot be retried do not meet them. In-use ones are
   * closed when returned.
   */
  private void evictIdleConnections() {
    if (ownedPool != null && ownedPool.getHikariPoolMXBean() != null) {
      ownedPool.getHikariPoolMXBean().softEvictConnections();
    }
  }

  /** Whether this thread is in a transaction someone else owns, which the store's work joins. */
  private boolean joining() {
    return work.joining();
  }

  /** The store's retries of idempotent work after a lost connection. */
  ConnectionRetry connectionRetry() {
    return retry;
  }

  /** Opens a store with its own pool on {@code url}. */
  public static JdbcEventStore open(String url, EventStoreConfig config, JdbcConfig jdbcConfig) {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new InvalidInputException("'" + Secrets.mask(url) + "' is not a JDBC URL; use for example "
          + "jdbc:sqlite:app.db or jdbc:postgresql://host/db");
    }
    if (Secrets.hasUserInfoPassword(url)) {
      // JDBC drivers take no user:password@ in the URL; some would echo it in their errors and logs.
      throw new InvalidInputException("'" + Secrets.mask(url) + "' has credentials before the host, which JDBC "
          + "drivers do not read; open the store on a DataSource that holds them, or pass user= and password= "
          + "parameters");
    }
    Dialect dialect = find(d -> d.accepts(url), "URL " + Secrets.mask(url));
    HikariDataSource dataSource = StorePools.open(url, jdbcConfig.maxPoolSize(), StorePools.poolName(dialect, jdbcConfig),
        dialect, jdbcConfig);
    try {
      StoreRoot root = new StoreRoot(new JdbcBackend(config, jdbcConfig, dialect, dataSource, dataSource, TransactionJoin.NONE));
      try {
        RowLevelSecurity.ensure(root);
      } catch (RuntimeException e) {
        root.close();
        throw e;
      }
      return root;
    } catch (RuntimeException e) {
      dataSource.close();
      throw e instanceof EventStoreException ese ? ese : dialect.translate(e, "opening the event store");
    }
  }

  /** Opens a store on a caller-owned data source; the pool size is the data source's business. */
  public static JdbcEventStore open(DataSource dataSource, EventStoreConfig config, JdbcConfig jdbcConfig) {
    return open(dataSource, config, jdbcConfig, TransactionJoin.NONE);
  }

  /** Like {@link #open(DataSource, EventStoreConfig, JdbcConfig)}, joining transactions {@code join} finds. */
  public static JdbcEventStore open(DataSource dataSource, EventStoreConfig config, JdbcConfig jdbcConfig, TransactionJoin join) {
    String product;
    try (Connection c = dataSource.getConnection()) {
      product = c.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot connect to the data source: " + e.getMessage(), e);
    }
    Dialect dialect = find(d -> d.acceptsProduct(product), "database product " + product);
    StoreRoot root = new StoreRoot(new JdbcBackend(config, jdbcConfig, dialect, dataSource, null, java.util.Objects.requireNonNull(join, "join")));
    try {
      RowLevelSecurity.ensure(root);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
    return root;
  }

  private static Dialect find(Predicate<Dialect> accepts, String what) {
    List<String> names = new ArrayList<>();
    for (Dialect d : ServiceLoader.load(Dialect.class, JdbcBackend.class.getClassLoader())) {
      names.add(d.name());
      if (accepts.test(d)) {
        return d.newInstance();
      }
    }
    throw new InvalidInputException("no event store dialect for " + what + " (dialects found: " + names
        + "); supported: jdbc:sqlite:<file> and jdbc:postgresql://…");
  }

  @Override
  public EventStoreConfig config() {
    return store.config();
  }

  /** The tables and pool the store was opened with. */
  public JdbcConfig jdbcConfig() {
    return jdbcConfig;
  }

  @Override
  public List<AppendResult> append(@Nullable String tenant, List<PreparedAppend> appends) {
    if (!observers.any()) {
      return appendUnobserved(tenant, appends);
    }
    int events = appends.stream().mapToInt(a -> a.events().size()).sum();
    long start = System.nanoTime();
    List<AppendResult> results;
    try {
      results = appendUnobserved(tenant, appends);
    } catch (EventStoreException e) {
      observers.appendFailed(appends.size(), events, System.nanoTime() - start, e);
      throw e;
    }
    observers.appended(appends.size(), events, System.nanoTime() - start);
    return results;
  }

  private List<AppendResult> appendUnobserved(@Nullable String tenant, List<PreparedAppend> appends) {
    work.checkOpen();
    if (work.joining()) {
      // In a transaction someone else owns: no group commit, the owner's commit is the commit.
      return work.append(tenant, appends, "appending to " + appends.size() + " stream(s)");
    }
    work.checkNotNested();
    if (appends.size() == 1) {
      PreparedAppend one = appends.get(0);
      return List.of(groupCommit.append(tenant, one));
    }
    return work.append(tenant, appends, "appending to " + appends.size() + " streams");
  }

  @Override
  public <R, X extends Exception> R inTransaction(@Nullable String tenant, TransactionCallback<R, X> callback) throws X {
    return work.transaction(tenant, callback::inTransaction, false, "running a transaction");
  }

  @Override
  public List<RecordedEvent> readStream(@Nullable String tenant, String streamId, StreamRead read) {
    return streamReads.readStream(tenant, streamId, read);
  }

  @Override
  public Stream<RecordedEvent> readAll(LogQuery query) {
    return logReads.readAll(query);
  }

  @Override
  public Optional<StreamInfo> streamInfo(@Nullable String tenant, String streamId) {
    return streamReads.streamInfo(tenant, streamId);
  }

  @Override
  public long headPosition(@Nullable String tenant) {
    return reader.headPosition(tenant);
  }

  @Override
  public void deleteStream(@Nullable String tenant, String streamId, ExpectedVersion expected) {
    deleter.deleteStream(tenant, streamId, expected);
  }

  @Override
  public void hardDeleteStream(@Nullable String tenant, String streamId) {
    deleter.hardDeleteStream(tenant, streamId);
  }

  @Override
  public dev.fabula.ErasureRecord erase(@Nullable String tenant, dev.fabula.Erasure e) {
    return erasure.erase(tenant, e);
  }

  @Override
  public List<dev.fabula.ErasureRecord> erasures(@Nullable String tenant, dev.fabula.@Nullable Erasure target) {
    return erasure.erasures(tenant, target);
  }

  Runnable onErase(dev.fabula.spi.ErasureParticipant participant) {
    return erasure.register(participant);
  }

  @Override
  public dev.fabula.spi.RetentionStorage retentionStorage() {
    return retention;
  }

  // ---- for the store's root and the modules' database layer ---------------------------------

  Jdbi jdbi() {
    return store.jdbi();
  }

  Dialect dialect() {
    return store.dialect();
  }

  Statements statements() {
    return store.sql();
  }

  Notifications notifications() {
    return notifications;
  }

  Runnable onAppend(LongConsumer listener) {
    return work.onAppend(listener);
  }

  Runnable observe(StoreObserver observer) {
    return observers.add(observer);
  }

  /**
   * Each component's recorded schema version against the one this library needs: the event
   * store's first, then the modules on the class path, then row-level security when it is on. One
   * read without retries, so a health check hears a lost database at once.
   */
  List<dev.fabula.jdbc.SchemaVersion> schemaVersions() {
    Map<String, Integer> installed = work.withHandle("reading the schema versions", h ->
        h.createQuery(store.sql().get("schema_versions"))
            .reduceRows(new java.util.HashMap<String, Integer>(), (map, row) -> {
              map.put(row.getColumn("component", String.class), row.getColumn("version", Integer.class));
              return map;
            }));
    List<dev.fabula.jdbc.SchemaVersion> versions = new ArrayList<>();
    versions.add(new dev.fabula.jdbc.SchemaVersion("eventstore", installed.getOrDefault("eventstore", 0), MIGRATIONS.size()));
    for (dev.fabula.jdbc.spi.Component c : SchemaMigrator.discover(false)) {
      versions.add(new dev.fabula.jdbc.SchemaVersion(c.name(), installed.getOrDefault(c.name(), 0), c.migrations().size()));
    }
    if (jdbcConfig.rowLevelSecurity()) {
      String rls = RowLevelSecurity.COMPONENT.name();
      versions.add(new dev.fabula.jdbc.SchemaVersion(rls, installed.getOrDefault(rls, 0), RowLevelSecurity.COMPONENT.migrations().size()));
    }
    return List.copyOf(versions);
  }

  /** The pool the store opened itself, or null when it runs on the caller's data source. */
  @Nullable HikariDataSource ownedPool() {
    return ownedPool;
  }

  <T> T withHandle(String action, HandleCallback<T, RuntimeException> callback) {
    return work.withHandle(action, callback);
  }

  <T> T read(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> callback) {
    return work.read(tenant, action, callback);
  }

  <R, X extends Exception> R transaction(@Nullable String tenant, TransactionCallback<R, X> callback, String action) throws X {
    return work.transaction(tenant, callback::inTransaction, false, action);
  }

  @Override
  public void close() {
    work.close();
    if (notifier != null) {
      notifier.close();
    }
    if (replica != null) {
      replica.close();
    }
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  @Override
  public String toString() {
    return store.dialect().name();
  }
}
