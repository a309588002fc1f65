package dev.fabula.testkit.postgres;

import static dev.fabula.testkit.postgres.PostgresServer.DATABASE_PREFIX;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates and drops the test databases of one {@link PostgresServer}, through its maintenance
 * database. Creation is serialised per server and picks the next free number also when other JVMs
 * share the server; see {@link PostgresServer#createDatabase()} and {@link
 * PostgresServer#dropDatabase}. Thread-safe.
 */
final class ServerDatabases {

  private final PostgresServer server;
  private final Object createLock = new Object();
  private long lastNumber = -1; // guarded by createLock

  ServerDatabases(PostgresServer server) {
    this.server = server;
  }

  /** Creates the next {@value PostgresServer#DATABASE_PREFIX}{@code <n>} database. */
  PostgresDatabase create() {
    synchronized (createLock) {
      try (Connection connection = server.maintenanceDatabase().dataSource().getConnection();
          Statement statement = connection.createStatement()) {
        if (lastNumber < 0) {
          lastNumber = highestNumber(statement);
        }
        for (int attempt = 1; ; attempt++) {
          String name = DATABASE_PREFIX + (lastNumber + 1);
          try {
            statement.execute("CREATE DATABASE " + name);
            lastNumber++;
            return server.database(name);
          } catch (SQLException e) {
            if (attempt >= 50) {
              throw e;
            }
            String state = e.getSQLState();
            // duplicate_database, or unique_violation when another JVM creates it concurrently
            if ("42P04".equals(state) || "23505".equals(state)) {
              lastNumber = Math.max(lastNumber + 1, highestNumber(statement));
            } else if ("55006".equals(state)) { // template database in use
              sleep(20L * attempt);
            } else {
              throw e;
            }
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("Could not create a database on " + server.description(), e);
      }
    }
  }

  private static long highestNumber(Statement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery(
        "SELECT coalesce(max(substring(datname FROM '^" + DATABASE_PREFIX + "([0-9]{1,18})$')"
            + "::bigint), 0) FROM pg_database")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sleep(long millis) throws SQLException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("Interrupted", e);
    }
  }

  /** Drops {@code database} if it exists, disconnecting its sessions; never the maintenance one. */
  void drop(PostgresDatabase database) {
    String name = database.databaseName();
    if (name.equals(server.maintenanceDatabase().databaseName())) {
      throw new IllegalArgumentException("Refusing to drop the maintenance database " + name);
    }
    String quoted = "\"" + name.replace("\"", "\"\"") + "\"";
    try (Connection connection = server.maintenanceDatabase().dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      try {
        statement.execute("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)");
      } catch (SQLException e) {
        if (!"42601".equals(e.getSQLState())) { // syntax_error: server older than 13
          throw e;
        }
        statement.execute("DROP DATABASE IF EXISTS " + quoted);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not drop database " + name, e);
    }
  }
}
