package dev.fabula.examples.configservice;

import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.time.Clock;

/**
 * How the service starts. Immutable; start from {@link #DEFAULT} and change what you need:
 *
 * <pre>{@code
 * Settings.DEFAULT.withJdbcUrl("jdbc:postgresql://db/app?user=app&password=secret").withPort(9090)
 * }</pre>
 *
 * @param jdbcUrl the event store's database: a SQLite file or a PostgreSQL database
 * @param port the HTTP port; 0 picks a free one
 * @param tablePrefix the prefix of the store's tables and of the audit table
 * @param clock stamps every event: time travel answers in this clock's time (tests pass their own)
 */
public record Settings(String jdbcUrl, int port, String tablePrefix, Clock clock) {

  /** The default database: a SQLite file under {@code target/}, so the source tree stays clean. */
  public static final String DEFAULT_JDBC_URL = "jdbc:sqlite:target/config-service.db";
  /** The default HTTP port. */
  public static final int DEFAULT_PORT = 8080;

  /** SQLite under {@code target/}, port 8080, the store's default prefix, the UTC system clock. */
  public static final Settings DEFAULT =
      new Settings(DEFAULT_JDBC_URL, DEFAULT_PORT, JdbcConfig.DEFAULT_TABLE_PREFIX, Clock.systemUTC());

  /** Validates every value and quotes the bad one. */
  public Settings {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException("the JDBC URL must start with 'jdbc:' but was '" + JdbcEventStore.maskCredentials(jdbcUrl) + "'");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("the port must be between 0 and 65535 but was " + port);
    }
    if (tablePrefix == null || clock == null) {
      throw new IllegalArgumentException("tablePrefix and clock must not be null");
    }
  }

  /** Returns a copy on another database. */
  public Settings withJdbcUrl(String value) {
    return new Settings(value, port, tablePrefix, clock);
  }

  /** Returns a copy on another port (0: any free port). */
  public Settings withPort(int value) {
    return new Settings(jdbcUrl, value, tablePrefix, clock);
  }

  /** Returns a copy with another table prefix (validated by the store when it opens). */
  public Settings withTablePrefix(String value) {
    return new Settings(jdbcUrl, port, value, clock);
  }

  /** Returns a copy with another clock. */
  public Settings withClock(Clock value) {
    return new Settings(jdbcUrl, port, tablePrefix, value);
  }
}
