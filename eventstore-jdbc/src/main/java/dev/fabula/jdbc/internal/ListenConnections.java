package dev.fabula.jdbc.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the LISTEN connection comes from: the configured data source; else a connection of its
 * own opened with the pool's URL and user (which works when the credentials are in the URL, as
 * {@link dev.fabula.jdbc.JdbcEventStore#open(String, dev.fabula.EventStoreConfig)} expects); else,
 * as a last resort, one connection borrowed from the store's pool for as long as the listener runs.
 */
final class ListenConnections {
  private static final Logger LOG = LoggerFactory.getLogger(ListenConnections.class);
  private final Jdbi jdbi;
  /** The application name of dedicated LISTEN connections, to find them in pg_stat_activity. */
  private final String applicationName;
  private final @Nullable DataSource configured;
  private boolean pooledFallback;
  private @Nullable Handle borrowed;

  ListenConnections(Jdbi jdbi, @Nullable DataSource configured, String applicationName) {
    this.jdbi = jdbi;
    this.applicationName = applicationName;
    this.configured = configured;
  }

  /** Opens (or borrows) a connection for LISTEN. */
  synchronized Connection open() throws SQLException {
    if (configured != null) {
      return configured.getConnection();
    }
    if (!pooledFallback) {
      String url;
      String user;
      try (Handle h = jdbi.open()) {
        url = h.getConnection().getMetaData().getURL();
        user = h.getConnection().getMetaData().getUserName();
      }
      Properties p = new Properties();
      if (user != null && !url.contains("user=")) {
        p.setProperty("user", user);
      }
      p.setProperty("ApplicationName", applicationName);
      try {
        return DriverManager.getConnection(url, p);
      } catch (SQLException e) {
        String state = e.getSQLState();
        if (state == null || !state.startsWith("28")) {
          throw e; // the server is unreachable: retry later, the same way
        }
        pooledFallback = true;
        LOG.info("Cannot open a dedicated LISTEN connection with the pool's URL ({}); borrowing one pool "
            + "connection instead. pass a listen data source (RunnerConfig.withListenDataSource) for a dedicated one",
            dev.fabula.internal.Secrets.mask(e.getMessage()));
      }
    }
    borrowed = jdbi.open();
    return borrowed.getConnection();
  }

  /** Closes (or returns) a connection from {@link #open}. */
  synchronized void close(@Nullable Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      if (borrowed != null && borrowed.getConnection() == connection) {
        try (var s = connection.createStatement()) {
          s.execute("UNLISTEN *");
        } catch (SQLException e) {
          LOG.debug("UNLISTEN failed on a pool connection being returned", e);
        }
        borrowed.close();
        borrowed = null;
      } else {
        connection.close();
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Closing the LISTEN connection failed", e);
    }
  }
}
