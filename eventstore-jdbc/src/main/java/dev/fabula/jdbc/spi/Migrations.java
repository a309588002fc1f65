package dev.fabula.jdbc.spi;

import dev.fabula.EventStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades a component's tables at start-up (the event store's, the scheduler's, the
 * projections'): applies the numbered scripts that {@code <prefix>schema_version} does not list
 * for the component yet, all in one transaction under the dialect's migration lock, so two
 * processes starting at once migrate once.
 *
 * <p>Scripts are classpath resources {@code <folder>/migrations/<script>}; statements end with a
 * {@code ;} at the end of a line, outside {@code $$} quotes and trigger {@code BEGIN … END;}
 * blocks; placeholders are those of {@link Statements}.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /**
   * Applies the missing migrations of {@code component}.
   *
   * @param jdbi the store's Jdbi
   * @param dialect the store's dialect (its migration lock and error translation)
   * @param sql the component's statements (its folder holds {@code migrations/})
   * @param component a short stable name, such as {@code eventstore} or {@code scheduler}
   * @param scripts the script file names in order; version n is the n-th
   */
  public static void apply(Jdbi jdbi, Dialect dialect, Statements sql, String component, List<String> scripts) {
    Map<String, String> placeholders = sql.placeholders();
    jdbi.useTransaction(handle -> {
      dialect.lockForMigration(handle, placeholders);
      dialect.beforeMigrations(handle, placeholders);
      String table = sql.substitute("${qualified_prefix}schema_version");
      handle.execute("CREATE TABLE IF NOT EXISTS " + table + " (component VARCHAR(64) NOT NULL, "
          + "version INTEGER NOT NULL, script VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL, "
          + "PRIMARY KEY (component, version))");
      int current = handle.createQuery("SELECT COALESCE(MAX(version), 0) FROM " + table + " WHERE component = :c")
          .bind("c", component).mapTo(Integer.class).one();
      if (current > scripts.size()) {
        throw new EventStoreException("the database's " + component + " schema is at version " + current
            + " but this library knows only " + scripts.size() + "; upgrade the library");
      }
      for (int v = current + 1; v <= scripts.size(); v++) {
        String script = scripts.get(v - 1);
        run(handle.getConnection(), dialect, sql.script("migrations/" + script));
        handle.createUpdate("INSERT INTO " + table + " (component, version, script, applied_at) VALUES (:c, :v, :s, :t)")
            .bind("c", component).bind("v", v).bind("s", script).bind("t", Instant.now().toString()).execute();
        LOG.info("Applied {} migration {} ({})", component, script, dialect.name());
      }
    });
  }

  /** Runs a multi-statement script on {@code connection}. */
  static void run(Connection connection, Dialect dialect, String script) {
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
      throw dialect.translate(e, "migrating the database schema");
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
