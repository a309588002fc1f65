package dev.fabula.jdbc.internal;

import dev.fabula.StoreUnavailableException;
import dev.fabula.jdbc.JdbcConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * Connections from the store's own pool, for its Jdbi. A pool that gives no connection within
 * {@link JdbcConfig#connectionTimeout()} (HikariCP's {@link SQLTransientConnectionException}) is
 * reported as a {@link StoreUnavailableException} that names the pool size and the settings to
 * change; every other failure goes on to the dialect's translation as before. Thread-safe.
 */
final class PoolConnections implements ConnectionFactory {
  private final DataSource pool;
  private final JdbcConfig config;

  PoolConnections(DataSource pool, JdbcConfig config) {
    this.pool = pool;
    this.config = config;
  }

  @Override
  public Connection openConnection() throws SQLException {
    try {
      return pool.getConnection();
    } catch (SQLTransientConnectionException e) {
      throw timedOut(e);
    }
  }

  private StoreUnavailableException timedOut(SQLTransientConnectionException e) {
    String waited = "no database connection within " + config.connectionTimeout().toMillis() + " ms ("
        + e.getMessage() + ")";
    if (e.getCause() != null) {
      // The pool could not open connections: the database is the problem, not the pool size.
      return new StoreUnavailableException(waited + ": the database refused new connections (" + e.getCause().getMessage()
          + "); check that it is up and reachable, then retry", e);
    }
    return new StoreUnavailableException(waited + ": all " + config.maxPoolSize() + " connections of the store's pool "
        + "are in use. Retry later, raise JdbcConfig.withMaxPoolSize (now " + config.maxPoolSize() + ") or "
        + "withConnectionTimeout (now " + config.connectionTimeout() + "), or hold fewer at once: every open "
        + "transaction, stream being read and worker or runner busy holds one", e);
  }
}
