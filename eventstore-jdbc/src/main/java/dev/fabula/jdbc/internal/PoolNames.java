package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.spi.Dialect;
import java.util.concurrent.atomic.AtomicInteger;

/** How the store names its pool and describes its timeouts in its start-up log line. */
final class PoolNames {
  /** Pools opened in this process, for their names. */
  private static final AtomicInteger POOLS = new AtomicInteger();

  private PoolNames() {}

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
