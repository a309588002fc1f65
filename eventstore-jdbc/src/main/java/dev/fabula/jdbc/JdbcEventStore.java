package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.internal.JdbcBackend;
import dev.fabula.jdbc.internal.SchemaMigrator;
import dev.fabula.jdbc.spi.TransactionJoin;
import dev.fabula.spi.StoreObserver;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The event store on a SQL database through JDBC: SQLite (the embedded default) or PostgreSQL.
 *
 * <pre>{@code
 * try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:app.db", EventStoreConfig.DEFAULT)) {
 *   store.inTransaction(tx -> {
 *     tx.append("order-7", ExpectedVersion.noStream(), List.of(EventData.of(new OrderPlaced(7))));
 *     tx.unwrap(Handle.class).execute("INSERT INTO order_list (id) VALUES (?)", 7); // same transaction
 *     return null;
 *   });
 * }
 * }</pre>
 *
 * <p>The tables are versioned in {@code <prefix>schema_version}. Opening runs no DDL: it checks
 * the version and fails with a {@link SchemaNotMigratedException} when the database is behind.
 * Migrate as a deploy step with {@link #migrate(String, JdbcConfig)} (or {@code fabula migrate}),
 * or, for embedded and development use, open with {@link JdbcConfig#withMigrateOnOpen(boolean)
 * JdbcConfig.DEFAULT.withMigrateOnOpen(true)}; both are safe when several processes start at once.
 * Modules that keep tables beside the store's (projections, the scheduler, the migration toolkit)
 * reach its database through {@link dev.fabula.jdbc.spi.ComponentDatabase}. Thread-safe.
 */
public interface JdbcEventStore extends EventStore {

  /**
   * {@code jdbcUrl} (or any text that names a database) with its credentials masked, for logs and
   * messages: the password in the user info ({@code //app:***@db}) and the value of every key that
   * names a secret ({@code password=***}). Every message of this library that shows a URL is masked
   * this way.
   */
  static String maskCredentials(String jdbcUrl) {
    return java.util.Objects.requireNonNull(dev.fabula.internal.Secrets.mask(jdbcUrl), "jdbcUrl");
  }

  /**
   * Opens a store on {@code jdbcUrl} with a connection pool of its own and the default tables
   * ({@link JdbcConfig#DEFAULT}); the dialect is chosen from the URL. PostgreSQL user and password
   * go in the URL ({@code ?user=…&password=…}).
   */
  static JdbcEventStore open(String jdbcUrl, EventStoreConfig config) {
    return open(jdbcUrl, config, JdbcConfig.DEFAULT);
  }

  /**
   * Opens a store on {@code jdbcUrl} with a connection pool of its own of at most {@code
   * jdbc.maxPoolSize()} connections, its tables named by {@code jdbc}; the dialect is chosen from
   * the URL. PostgreSQL user and password go in the URL ({@code ?user=…&password=…}).
   */
  static JdbcEventStore open(String jdbcUrl, EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcBackend.open(jdbcUrl, config, jdbc);
  }

  /**
   * Opens a store on a {@link DataSource} the caller owns (and closes), with the default tables
   * ({@link JdbcConfig#DEFAULT}); the dialect is chosen from the database's product name.
   */
  static JdbcEventStore open(DataSource dataSource, EventStoreConfig config) {
    return open(dataSource, config, JdbcConfig.DEFAULT);
  }

  /**
   * Opens a store on a {@link DataSource} the caller owns (and closes), its tables named by {@code
   * jdbc}; the dialect is chosen from the database's product name. {@code jdbc.maxPoolSize()} is
   * ignored: the caller's data source decides how many connections there are.
   */
  static JdbcEventStore open(DataSource dataSource, EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcBackend.open(dataSource, config, jdbc);
  }

  /**
   * Opens a store on a {@link DataSource} the caller owns (and closes), like {@link #open(DataSource,
   * EventStoreConfig, JdbcConfig)}, whose units of work and appends join a transaction that someone
   * else owns on that data source whenever {@code join} finds one on the calling thread (a
   * framework's, such as Spring's {@code @Transactional}); outside one they run in transactions of
   * their own. See {@link TransactionJoin} for what changes inside a borrowed transaction: the
   * owner commits, nothing is retried, and append listeners hear of events after the owner's
   * commit. Reads never join: they see committed events only.
   */
  static JdbcEventStore open(DataSource dataSource, EventStoreConfig config, JdbcConfig jdbc, TransactionJoin join) {
    return JdbcBackend.open(dataSource, config, jdbc, join);
  }

  /**
   * Creates or upgrades the tables of the event store and of every component on the classpath
   * (projections, the scheduler, the migration toolkit, snapshots: each module lists its own
   * through {@link dev.fabula.jdbc.spi.ComponentProvider}) on {@code jdbcUrl}, then closes its
   * connections. Run it as the role that owns the schema, once per deploy, before the application
   * opens the store; running it again, or from several processes at once, is harmless.
   *
   * @param jdbc the table prefix and schema to migrate, and with {@link
   *     JdbcConfig#withRowLevelSecurity(boolean) rowLevelSecurity} the optional row-level-security
   *     policies too ({@code migrateOnOpen} is ignored)
   * @return each component's schema version now, the event store's ({@code eventstore}) first
   */
  static Map<String, Integer> migrate(String jdbcUrl, JdbcConfig jdbc) {
    return SchemaMigrator.migrate(() -> SchemaMigrator.open(jdbcUrl, jdbc));
  }

  /**
   * Like {@link #migrate(String, JdbcConfig)}, on a {@link DataSource} the caller owns (and
   * closes), connecting as the schema's owner.
   *
   * @param jdbc the table prefix and schema to migrate, and with {@link
   *     JdbcConfig#withRowLevelSecurity(boolean) rowLevelSecurity} the optional row-level-security
   *     policies too ({@code migrateOnOpen} is ignored)
   * @return each component's schema version now, the event store's ({@code eventstore}) first
   */
  static Map<String, Integer> migrate(DataSource dataSource, JdbcConfig jdbc) {
    return SchemaMigrator.migrate(() -> SchemaMigrator.open(dataSource, jdbc));
  }

  /** The Jdbi instance on the store's connections, for reading and writing other tables. */
  Jdbi jdbi();

  /** The configuration the store was opened with. */
  EventStoreConfig config();

  /** The JDBC configuration the store was opened with: its table prefix, schema and pool size. */
  JdbcConfig jdbcConfig();

  /**
   * Registers a listener called after every commit that appended events, with the last position
   * written, on the committing thread: an in-process signal for projection runners. Keep it fast.
   *
   * @return a registration whose {@code close()} removes the listener
   */
  Registration onAppend(LongConsumer listener);

  /**
   * Registers an observer of the store's appends, reads and group commits, for metrics (the {@code
   * fabula-metrics} module registers one): see {@link StoreObserver} for what it hears and its
   * contract. Registering the same observer twice registers it once.
   *
   * @return a registration whose {@code close()} removes the observer
   */
  Registration observe(StoreObserver observer);

  /**
   * Registers a participant of {@link #erase}: erasing a subject or a stream then also calls it, in
   * the erasure's transaction, to erase the rows it keeps (projections register one for the
   * projections that implement {@code ErasureHook}). The modules' own tables need no registration:
   * their {@link dev.fabula.jdbc.spi.ComponentProvider} erases them.
   *
   * @return a registration whose {@code close()} removes the participant
   */
  Registration onErase(dev.fabula.spi.ErasureParticipant participant);

  /**
   * The connection pool the store opened itself ({@link #open(String, EventStoreConfig, JdbcConfig)},
   * a HikariCP pool), for binding its metrics; empty when the store runs on the caller's {@link
   * DataSource}. The store owns the pool: do not close it or change its settings, close the store.
   */
  Optional<DataSource> ownedPool();

  /**
   * The schema of the store's database against what this library needs, read now (reads only, no
   * lock): one entry per component, the event store's ({@code eventstore}) first, then each module
   * on the class path that keeps tables (through {@link dev.fabula.jdbc.spi.ComponentProvider}), and
   * row-level security when the store was opened with it. A component whose tables a newer release
   * migrated shows {@code installed > required}; one never migrated shows 0.
   *
   * @throws dev.fabula.EventStoreException if the database cannot be read
   */
  java.util.List<SchemaVersion> schemaVersions();

  /** A registered listener; closing it removes the listener. Closing twice is harmless. */
  interface Registration extends AutoCloseable {
    /** Removes the listener. */
    @Override
    void close();
  }
}
