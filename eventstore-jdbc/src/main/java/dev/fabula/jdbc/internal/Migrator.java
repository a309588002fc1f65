package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreException;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Statements;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the store's schema at start-up: applies the dialect's numbered migration
 * scripts that {@code <prefix>schema_version} does not list yet, all in one transaction under the
 * dialect's migration lock, so two processes starting at once migrate once.
 */
final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  /** The migrations, in order. A new schema version is a new file and a new line here. */
  static final List<String> MIGRATIONS = List.of("V1__event_store.sql");

  private Migrator() {}

  static void migrate(Jdbi jdbi, Dialect dialect, Statements sql) {
    Map<String, String> placeholders = sql.placeholders();
    jdbi.useTransaction(handle -> {
      dialect.lockForMigration(handle, placeholders);
      dialect.beforeMigrations(handle, placeholders);
      String table = sql.substitute("${qualified_prefix}schema_version");
      handle.execute("CREATE TABLE IF NOT EXISTS " + table
          + " (version INTEGER NOT NULL PRIMARY KEY, script TEXT NOT NULL, applied_at TEXT NOT NULL)");
      int current = handle.createQuery("SELECT COALESCE(MAX(version), 0) FROM " + table).mapTo(Integer.class).one();
      if (current > MIGRATIONS.size()) {
        throw new EventStoreException(
            "the database's event store schema is at version " + current + " but this library knows only "
                + MIGRATIONS.size() + "; upgrade the library");
      }
      for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
        String script = MIGRATIONS.get(v - 1);
        runScript(handle.getConnection(), dialect, sql.script("migrations/" + script));
        handle.createUpdate("INSERT INTO " + table + " (version, script, applied_at) VALUES (:v, :s, :t)")
            .bind("v", v).bind("s", script).bind("t", java.time.Instant.now().toString()).execute();
        LOG.info("Applied event store migration {} ({})", script, dialect.name());
      }
    });
  }

  /** Runs a multi-statement script: statements end with a ';' at the end of a line, outside $$ and BEGIN…END blocks. */
  static void runScript(java.sql.Connection connection, Dialect dialect, String script) {
    StringBuilder current = new StringBuilder();
    boolean dollar = false;
    boolean block = false;
    try (Statement statement = connection.createStatement()) {
      for (String line : script.split("\n")) {
        String trimmed = line.strip();
        if (trimmed.startsWith("--") || (trimmed.isEmpty() && current.length() == 0)) {
          continue;
        }
        current.append(line).append('\n');
        if (countOf(line, "$$") % 2 == 1) {
          dollar = !dollar;
        }
        if (trimmed.equalsIgnoreCase("BEGIN")) {
          block = true;
        }
        if (block && trimmed.equalsIgnoreCase("END;")) {
          block = false;
        }
        if (!dollar && !block && trimmed.endsWith(";")) {
          statement.execute(current.toString());
          current.setLength(0);
        }
      }
      if (!current.toString().isBlank()) {
        statement.execute(current.toString());
      }
    } catch (SQLException e) {
      throw dialect.translate(e, "migrating the event store schema");
    }
  }

  private static int countOf(String line, String token) {
    int n = 0;
    for (int i = line.indexOf(token); i >= 0; i = line.indexOf(token, i + token.length())) {
      n++;
    }
    return n;
  }
}
