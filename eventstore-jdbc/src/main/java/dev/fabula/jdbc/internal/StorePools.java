package dev.fabula.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.spi.Dialect;
import java.util.concurrent.atomic.AtomicInteger;

/** The connection pools a store opens itself: on its database, and on its read replica. */
final class StorePools {
  /** Pools opened in this process, for their names. */
  private static final AtomicInteger POOLS = new AtomicInteger();

  private StorePools() {}

  /**
   * Opens a HikariCP pool of at most {@code maxPoolSize} connections on {@code url}, named {@code
   * name}, with the store's connection timeout and the dialect's session settings.
   *
   * @throws dev.fabula.EventStoreException (translated by the dialect) if the pool cannot start
   */
  static HikariDataSource open(String url, int maxPoolSize, String name, Dialect dialect, JdbcConfig jdbcConfig) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(maxPoolSize);
    pool.setConnectionTimeout(jdbcConfig.connectionTimeout().toMillis());
    pool.setPoolName(name);
    dialect.configurePool(pool, jdbcConfig);
    try {
      return new HikariDataSource(pool);
    } catch (RuntimeException e) {
      throw dialect.translate(e, "connecting to the database");
    }
  }

  /**
   * A name no other pool of this process has, that says whose it is: {@code
   * fabula-<dialect>[-<schema>][-<prefix>]-<n>}, such as {@code fabula-sqlite-billing-2} (the
   * default prefix left out). HikariCP tags its meters and names its threads with it, so two
   * stores' pools never share them.
   */
  static String poolName(Dialect dialect, JdbcConfig jdbcConfig) {
    StringBuilder name = new StringBuilder("fabula-").append(dialect.name());
    if (jdbcConfig.schema() != null && !jdbcConfig.schema().isEmpty()) {
      name.append('-').append(jdbcConfig.schema());
    }
    String prefix = jdbcConfig.tablePrefix().replaceAll("_+$", "");
    if (!prefix.isEmpty() && !jdbcConfig.tablePrefix().equals(JdbcConfig.DEFAULT_TABLE_PREFIX)) {
      name.append('-').append(prefix);
    }
    return name.append('-').append(POOLS.incrementAndGet()).toString();
  }

  /** The store's timeouts, as its start-up log line says them. */
  static String describe(JdbcConfig.Timeouts t, boolean ownPool) {
    String retries = "lost connections retried for " + t.retryWindow().toMillis() + " ms";
    if (!ownPool) {
      return retries + " (timeouts: the data source's own)";
    }
    return "statement timeout " + t.statementTimeout().toMillis() + " ms, lock timeout " + t.lockTimeout().toMillis()
        + " ms, socket timeout " + t.socketTimeout().toMillis() + " ms, TCP keepalive " + (t.tcpKeepAlive() ? "on" : "off")
        + " (0: none), " + retries;
  }
}
