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
 */
public record JdbcConfig(
    String tablePrefix,
    @Nullable String schema,
    int maxPoolSize,
    Duration connectionTimeout,
    boolean migrateOnOpen,
    boolean rowLevelSecurity) {

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
   * wait for one, no migration on open and no row-level security.
   */
  public static final JdbcConfig DEFAULT =
      new JdbcConfig(DEFAULT_TABLE_PREFIX, null, DEFAULT_MAX_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT, false, false);

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
  }

  /** Returns a copy with another table prefix. */
  public JdbcConfig withTablePrefix(String value) {
    return new JdbcConfig(value, schema, maxPoolSize, connectionTimeout, migrateOnOpen, rowLevelSecurity);
  }

  /** Returns a copy with another PostgreSQL schema (null: the connection's default). */
  public JdbcConfig withSchema(@Nullable String value) {
    return new JdbcConfig(tablePrefix, value, maxPoolSize, connectionTimeout, migrateOnOpen, rowLevelSecurity);
  }

  /** Returns a copy with another pool size. */
  public JdbcConfig withMaxPoolSize(int value) {
    return new JdbcConfig(tablePrefix, schema, value, connectionTimeout, migrateOnOpen, rowLevelSecurity);
  }

  /** Returns a copy that waits up to {@code value} for a free pooled connection. */
  public JdbcConfig withConnectionTimeout(Duration value) {
    return new JdbcConfig(tablePrefix, schema, maxPoolSize, value, migrateOnOpen, rowLevelSecurity);
  }

  /**
   * Returns a copy that migrates on open ({@code true}: opening applies missing migrations, for
   * embedded and development use) or only checks the schema version ({@code false}, the default).
   */
  public JdbcConfig withMigrateOnOpen(boolean value) {
    return new JdbcConfig(tablePrefix, schema, maxPoolSize, connectionTimeout, value, rowLevelSecurity);
  }

  /**
   * Returns a copy with row-level security on ({@code true}: the database enforces tenant
   * isolation too; PostgreSQL only) or off ({@code false}, the default). See {@link
   * #rowLevelSecurity()} for what it sets, costs and needs.
   */
  public JdbcConfig withRowLevelSecurity(boolean value) {
    return new JdbcConfig(tablePrefix, schema, maxPoolSize, connectionTimeout, migrateOnOpen, value);
  }
}
