package dev.fabula.jdbc.internal;

import dev.fabula.StoreUnavailableException;
import dev.fabula.jdbc.JdbcConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * Connections for the store's Jdbi, from its own pool or the caller's data source. A pool that
 * gives no connection in time ({@link SQLTransientConnectionException}, as HikariCP throws after
 * {@link JdbcConfig#connectionTimeout()}) is reported as a {@link StoreUnavailableException}: for
 * the store's own pool naming its size and the settings to change, for a caller's data source
 * pointing at that pool's own settings. Every other failure goes on to the dialect's translation
 * as before.
 *
 * <p>While a thread runs work on a connection borrowed from someone else's transaction ({@link
 * #onBorrowed}), the handles it opens get that connection, and closing them leaves it open: its
 * owner hands it back. Thread-safe.
 */
final class PoolConnections implements ConnectionFactory {
  private final DataSource pool;
  private final JdbcConfig config;
  private final boolean owned;
  /** The connection this thread borrowed from a transaction someone else owns, if any. */
  private final ThreadLocal<Connection> borrowed = new ThreadLocal<>();

  /**
   * @param owned whether {@code pool} is the store's own (sized by {@code config}) rather than a
   *     caller's data source
   */
  PoolConnections(DataSource pool, JdbcConfig config, boolean owned) {
    this.pool = pool;
    this.config = config;
    this.owned = owned;
  }

  /** Work on a borrowed connection. */
  interface OnBorrowed<T, X extends Exception> {
    T run() throws X;
  }

  /** Runs {@code work} with the handles this thread opens (and closes) on {@code connection}. */
  <T, X extends Exception> T onBorrowed(Connection connection, OnBorrowed<T, X> work) throws X {
    Connection before = borrowed.get();
    borrowed.set(connection);
    try {
      return work.run();
    } finally {
      if (before == null) {
        borrowed.remove();
      } else {
        borrowed.set(before);
      }
    }
  }

  @Override
  public Connection openConnection() throws SQLException {
    Connection lent = borrowed.get();
    if (lent != null) {
      return lent;
    }
    try {
      return pool.getConnection();
    } catch (SQLTransientConnectionException e) {
      throw timedOut(e);
    }
  }

  @Override
  public void closeConnection(Connection connection) throws SQLException {
    if (connection != borrowed.get()) {
      connection.close();
    }
  }

  private StoreUnavailableException timedOut(SQLTransientConnectionException e) {
    if (!owned) {
      return new StoreUnavailableException("no database connection from the data source the store was opened on ("
          + e.getMessage() + "): its pool is exhausted or cannot reach the database. Retry later, give that pool "
          + "more connections or a longer timeout (its own settings; JdbcConfig's pool settings apply only to the "
          + "store's own pool), or hold fewer at once", e);
    }
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
