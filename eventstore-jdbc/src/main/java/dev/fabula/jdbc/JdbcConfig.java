package dev.fabula.jdbc;

import dev.fabula.InvalidInputException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a JDBC event store keeps its tables, how many connections it opens and whether opening may
 * change the schema: the settings only a SQL backend has, beside the store's {@link
 * dev.fabula.EventStoreConfig}. Immutable; start from {@link #DEFAULT} and change what you need:
 *
 * <pre>{@code
 * JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT,
 *     JdbcConfig.DEFAULT.withTablePrefix("billing_").withSchema("events"));
 * }</pre>
 *
 * @param tablePrefix prefix of every table the store creates: lower-case letters, digits and
 *     underscores, starting with a letter, at most 20 characters
 * @param schema the PostgreSQL schema for the tables (null: the connection's default); ignored on
 *     SQLite
 * @param maxPoolSize the most database connections the store's own pool opens (ignored when the
 *     store is opened on a caller's {@link javax.sql.DataSource})
 * @param connectionTimeout how long a call waits for a free connection of the store's own pool
 *     before it fails with {@link dev.fabula.StoreUnavailableException}, at least 250 ms (ignored
 *     when the store is opened on a caller's {@link javax.sql.DataSource})
 * @param migrateOnOpen whether opening the store (and every component opened on it: projections,
 *     the scheduler, snapshots, the migration toolkit) applies missing schema migrations itself, as
 *     {@link JdbcEventStore#migrate(String, JdbcConfig)} does. Off by default: then opening runs no
 *     DDL, only reads each component's schema version, and fails with a {@link
 *     SchemaNotMigratedException} when the database is behind. Turn it on for embedded and
 *     development use, where the application's role owns the database; in production migrate as a
 *     deploy step, as the schema's owner (see docs/operations.md)
 * @param rowLevelSecurity whether the database enforces tenant isolation too (PostgreSQL only; off
 *     by default). On, every unit of work of the store sets {@code fabula.tenant_id} to its tenant
 *     ({@code ''} for the unconfined store) for that transaction only, reads included (they then
 *     run in a short transaction of their own: two round trips more); opening checks that the
 *     optional row-level-security migration (component {@code row_level_security}) is applied, and
 *     migrating ({@link JdbcEventStore#migrate(String, JdbcConfig)}, {@code fabula migrate
 *     --row-level-security}, or {@code migrateOnOpen}) applies it: policies on the events, streams
 *     and snapshots tables that let a role that does not own them see and write only the rows of
 *     the tenant set. See docs/postgresql.md ("Row-level security")
 * @param timeouts how long statements, lock waits and network reads may take, and how long the
 *     store retries a lost connection; see {@link Timeouts} (the withers {@link
 *     #withStatementTimeout} and so on change one value each)
 * @param readReplica a PostgreSQL streaming replica to read the global log from (null: none, the
 *     default); see {@link ReadReplica} and docs/replicas.md. Not with {@code rowLevelSecurity}
 */
public record JdbcConfig(
    String tablePrefix,
    @Nullable String schema,
    int maxPoolSize,
    Duration connectionTimeout,
    boolean migrateOnOpen,
    boolean rowLevelSecurity,
    Timeouts timeouts,
    @Nullable ReadReplica readReplica) {

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** Default table prefix. */
  public static final String DEFAULT_TABLE_PREFIX = "fabula_";
  /** Default connection pool size. */
  public static final int DEFAULT_MAX_POOL_SIZE = 10;
  /** Default wait for a free pooled connection. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
  /** Shortest wait for a free pooled connection (HikariCP's own minimum). */
  public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

  /**
   * The defaults: prefix {@code fabula_}, the connection's default schema, 10 connections, a 30 s
   * wait for one, no migration on open, no row-level security and {@link Timeouts#DEFAULT}.
   */
  public static final JdbcConfig DEFAULT =
      new JdbcConfig(DEFAULT_TABLE_PREFIX, null, DEFAULT_MAX_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT, false, false);

  /** A configuration with the default {@link Timeouts}. */
  public JdbcConfig(
      String tablePrefix, @Nullable String schema, int maxPoolSize, Duration connectionTimeout, boolean migrateOnOpen,
      boolean rowLevelSecurity) {
    this(tablePrefix, schema, maxPoolSize, connectionTimeout, migrateOnOpen, rowLevelSecurity, Timeouts.DEFAULT);
  }

  /** A configuration without a read replica. */
  public JdbcConfig(
      String tablePrefix, @Nullable String schema, int maxPoolSize, Duration connectionTimeout, boolean migrateOnOpen,
      boolean rowLevelSecurity, Timeouts timeouts) {
    this(tablePrefix, schema, maxPoolSize, connectionTimeout, migrateOnOpen, rowLevelSecurity, timeouts, null);
  }

  /** Validates every value and quotes the bad one. */
  public JdbcConfig {
    if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
      throw new InvalidInputException(
          "table prefix '" + tablePrefix + "' is invalid; use 1 to 20 lower-case letters, digits or "
              + "underscores starting with a letter, such as \"fabula_\"");
    }
    if (schema != null && !SCHEMA.matcher(schema).matches()) {
      throw new InvalidInputException(
          "schema '" + schema + "' is invalid; use a lower-case SQL identifier such as \"events\"");
    }
    if (maxPoolSize < 1) {
      throw new InvalidInputException("maxPoolSize must be 1 or more but was " + maxPoolSize);
    }
    if (connectionTimeout == null || connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
      throw new InvalidInputException("connectionTimeout must be " + MIN_CONNECTION_TIMEOUT.toMillis()
          + " ms or more but was " + connectionTimeout);
    }
    if (timeouts == null) {
      throw new InvalidInputException("timeouts must not be null; start from JdbcConfig.Timeouts.DEFAULT");
    }
    if (readReplica != null && rowLevelSecurity) {
      throw new InvalidInputException("a read replica cannot be combined with row-level security yet: open the store "
          + "without one of them");
    }
  }

  /** Returns a copy with another table prefix. */
  public JdbcConfig withTablePrefix(String value) {
    return new JdbcConfig(value, schema, maxPoolSize, connectionTimeout, migrateOnOpen, rowLevelSecurity, timeouts, readReplica);
  }

  /** Returns a copy with another PostgreSQL schema (null: the connection's default). */
  public JdbcConfig withSchema(@Nullable String value) {
    return new JdbcConfig(tablePrefix, value, maxPoolSize, connectionTimeout, migrateOnOpen, rowLevelSecurity, timeouts, readReplica);
  }

  /** Returns a copy with another pool size. */
  public JdbcConfig withMaxPoolSize(int value) {
    return new JdbcConfig(tablePrefix, schema, value, connectionTimeout, migrateOnOpen, rowLevelSecurity, timeouts, readReplica);
  }

  /** Returns a copy that waits up to {@code value} for a free pooled connection. */
  public JdbcConfig withConnectionTimeout(Duration value) {
    return new JdbcConfig(tablePrefix, schema, maxPoolSize, value, migrateOnOpen, rowLevelSecurity, timeouts, readReplica);
  }

  /**
   * Returns a copy that migrates on open ({@code true}: opening applies missing migrations, for
   * embedded and development use) or only checks the schema version ({@code false}, the default).
   */
  public JdbcConfig withMigrateOnOpen(boolean value) {
    return new JdbcConfig(tablePrefix, schema, maxPoolSize, connectionTimeout, value, rowLevelSecurity, timeouts, readReplica);
  }

  /**
   * Returns a copy with row-level security on ({@code true}: the database enforces tenant
   * isolation too; PostgreSQL only) or off ({@code false}, the default). See {@link
   * #rowLevelSecurity()} for what it sets, costs and needs.
   */
  public JdbcConfig withRowLevelSecurity(boolean value) {
    return new JdbcConfig(tablePrefix, schema, maxPoolSize, connectionTimeout, migrateOnOpen, value, timeouts, readReplica);
  }

  /**
   * Returns a copy whose statements may run up to {@code value} each (PostgreSQL {@code
   * statement_timeout}; {@link Duration#ZERO}: the server's setting). See {@link Timeouts#statementTimeout()}.
   */
  public JdbcConfig withStatementTimeout(Duration value) {
    return withTimeouts(new Timeouts(value, timeouts.lockTimeout(), timeouts.socketTimeout(), timeouts.tcpKeepAlive(),
        timeouts.retryWindow()));
  }

  /**
   * Returns a copy that waits up to {@code value} for a lock (PostgreSQL {@code lock_timeout},
   * SQLite's busy timeout; {@link Duration#ZERO}: the server's setting, none on SQLite). See {@link Timeouts#lockTimeout()}.
   */
  public JdbcConfig withLockTimeout(Duration value) {
    return withTimeouts(new Timeouts(timeouts.statementTimeout(), value, timeouts.socketTimeout(), timeouts.tcpKeepAlive(),
        timeouts.retryWindow()));
  }

  /**
   * Returns a copy that gives up on a silent server after {@code value} (the PostgreSQL driver's
   * {@code socketTimeout}; {@link Duration#ZERO}: never). See {@link Timeouts#socketTimeout()}.
   */
  public JdbcConfig withSocketTimeout(Duration value) {
    return withTimeouts(new Timeouts(timeouts.statementTimeout(), timeouts.lockTimeout(), value, timeouts.tcpKeepAlive(),
        timeouts.retryWindow()));
  }

  /** Returns a copy with TCP keepalive on the store's PostgreSQL connections on or off. */
  public JdbcConfig withTcpKeepAlive(boolean value) {
    return withTimeouts(new Timeouts(timeouts.statementTimeout(), timeouts.lockTimeout(), timeouts.socketTimeout(), value,
        timeouts.retryWindow()));
  }

  /**
   * Returns a copy that retries a lost connection for up to {@code value} ({@link Duration#ZERO}:
   * never). See {@link Timeouts#retryWindow()}.
   */
  public JdbcConfig withRetryWindow(Duration value) {
    return withTimeouts(new Timeouts(timeouts.statementTimeout(), timeouts.lockTimeout(), timeouts.socketTimeout(),
        timeouts.tcpKeepAlive(), value));
  }

  /** Returns a copy with other {@link Timeouts}. */
  public JdbcConfig withTimeouts(Timeouts value) {
    return new JdbcConfig(tablePrefix, schema, maxPoolSize, connectionTimeout, migrateOnOpen, rowLevelSecurity, value,
        readReplica);
  }

  /**
   * Returns a copy that reads the global log from {@code value}, a PostgreSQL streaming replica,
   * while writes stay on the primary the store is opened on (null: no replica, the default). See
   * {@link ReadReplica} for what reads where and what a read waits for.
   */
  public JdbcConfig withReadReplica(@Nullable ReadReplica value) {
    return new JdbcConfig(tablePrefix, schema, maxPoolSize, connectionTimeout, migrateOnOpen, rowLevelSecurity, timeouts,
        value);
  }

  /**
   * Time limits of the store's database work, so that a hung server, a stuck lock holder or a dead
   * network path fails a call instead of holding it forever, and how long lost connections are
   * retried. {@link Duration#ZERO} leaves a limit to the server (whose default is none; a zero
   * retry window never retries). The statement and lock timeouts are set on every connection of
   * the store's own pool when it opens it (so they apply to the modules' statements too, and
   * replace a role's or database's own setting); migrations run without them.
   * On a store opened on a caller's {@link javax.sql.DataSource}, only {@link #retryWindow()}
   * applies: configure the rest on that data source.
   *
   * @param statementTimeout longest run of one statement (PostgreSQL {@code statement_timeout});
   *     one that runs longer fails with {@link dev.fabula.StoreUnavailableException} and its
   *     transaction rolls back. Default 60 s
   * @param lockTimeout longest wait for a lock: a stream row another append holds, a checkpoint row
   *     (PostgreSQL {@code lock_timeout}; on SQLite the busy timeout for the file's write lock).
   *     Default 10 s
   * @param socketTimeout longest wait for the PostgreSQL server to answer before the driver drops
   *     the connection (its {@code socketTimeout}, in whole seconds); longer than {@code
   *     statementTimeout} so the server's own limit comes first. Default 90 s
   * @param tcpKeepAlive whether PostgreSQL connections send TCP keepalives (the driver's {@code
   *     tcpKeepAlive}), so a dead peer is noticed on idle connections too. Default on
   * @param retryWindow how long idempotent calls (reads, appends: their events carry ids) retry a
   *     lost connection with jittered exponential backoff before they fail with {@link
   *     dev.fabula.StoreUnavailableException}; and how long an append whose connection failed while
   *     committing looks for its events on a fresh connection before it fails with {@link
   *     dev.fabula.AppendOutcomeUnknownException}. Calls that are not idempotent ({@code
   *     inTransaction}, deletes) are never retried. Default 30 s
   */
  public record Timeouts(
      Duration statementTimeout, Duration lockTimeout, Duration socketTimeout, boolean tcpKeepAlive, Duration retryWindow) {

    /** Default {@link #statementTimeout()}. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    /** Default {@link #lockTimeout()}. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link #socketTimeout()}. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(90);
    /** Default {@link #retryWindow()}. */
    public static final Duration DEFAULT_RETRY_WINDOW = Duration.ofSeconds(30);

    /** 60 s per statement, 10 s per lock wait, 90 s socket timeout, TCP keepalive on, 30 s retry window. */
    public static final Timeouts DEFAULT = new Timeouts(
        DEFAULT_STATEMENT_TIMEOUT, DEFAULT_LOCK_TIMEOUT, DEFAULT_SOCKET_TIMEOUT, true, DEFAULT_RETRY_WINDOW);

    /** Validates every value and quotes the bad one. */
    public Timeouts {
      check("statementTimeout", statementTimeout);
      check("lockTimeout", lockTimeout);
      check("socketTimeout", socketTimeout);
      check("retryWindow", retryWindow);
      if (!socketTimeout.isZero() && socketTimeout.toMillis() % 1000 != 0) {
        throw new InvalidInputException("socketTimeout must be whole seconds (the driver counts seconds) but was "
            + socketTimeout);
      }
      if (!socketTimeout.isZero() && (statementTimeout.isZero() || socketTimeout.compareTo(statementTimeout) <= 0)) {
        throw new InvalidInputException("socketTimeout (" + socketTimeout + ") must be longer than statementTimeout ("
            + (statementTimeout.isZero() ? "no limit" : statementTimeout) + "), or the driver drops connections "
            + "whose statements the server would still finish: raise socketTimeout, or set it to Duration.ZERO");
      }
    }

    private static void check(String name, Duration value) {
      if (value == null || value.isNegative()) {
        throw new InvalidInputException(name + " must be zero or more but was " + value);
      }
    }
  }
}
