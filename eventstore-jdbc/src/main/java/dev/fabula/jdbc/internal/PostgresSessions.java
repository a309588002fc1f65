package dev.fabula.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import dev.fabula.jdbc.JdbcConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * PostgreSQL server sessions as the store sees them: the time limits its pool puts on each new
 * connection, and the backend process id that names a session in {@code pg_stat_activity}, so that
 * an append whose connection failed while committing can wait until that session has ended before
 * it looks for its events ({@link InDoubt}). Stateless.
 */
final class PostgresSessions {
  private PostgresSessions() {}

  /**
   * Sets the driver's {@code socketTimeout} and {@code tcpKeepAlive} (a parameter of the same name
   * in the URL wins), and {@code statement_timeout} and {@code lock_timeout} on every new
   * connection ({@code connectionInitSql}); a zero limit is left to the server.
   */
  static void configure(HikariConfig pool, JdbcConfig.Timeouts t) {
    pool.addDataSourceProperty("socketTimeout", String.valueOf(t.socketTimeout().toSeconds()));
    pool.addDataSourceProperty("tcpKeepAlive", String.valueOf(t.tcpKeepAlive()));
    List<String> sets = new ArrayList<>();
    if (!t.statementTimeout().isZero()) {
      sets.add("SET statement_timeout = " + t.statementTimeout().toMillis());
    }
    if (!t.lockTimeout().isZero()) {
      sets.add("SET lock_timeout = " + t.lockTimeout().toMillis());
    }
    if (!sets.isEmpty()) {
      pool.setConnectionInitSql(String.join("; ", sets));
    }
  }

  /** The server process id of {@code connection}'s session; null when it is not PostgreSQL's. */
  static @Nullable Integer backendPid(Connection connection) {
    try {
      return connection.isWrapperFor(PGConnection.class) ? connection.unwrap(PGConnection.class).getBackendPID() : null;
    } catch (SQLException e) {
      return null;
    }
  }
}
