package dev.fabula.jdbc.spi;

import dev.fabula.EventStoreException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.SchemaNotMigratedException;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades a component's tables (the event store's, the scheduler's, the
 * projections'): {@link #apply} runs the numbered scripts that {@code <prefix>schema_version} does
 * not list for the component yet, all in one transaction under the dialect's migration lock, so two
 * processes starting at once migrate once; {@link #check} only reads that table, for a store opened
 * without {@link dev.fabula.jdbc.JdbcConfig#migrateOnOpen()}. {@link #ensure} picks one of the two.
 *
 * <p>Scripts are classpath resources {@code <folder>/migrations/<script>}; statements end with a
 * {@code ;} at the end of a line, outside {@code $$} quotes and trigger {@code BEGIN … END;}
 * blocks; placeholders are those of {@link Statements}.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /**
   * Applies the missing migrations of {@code component} when {@code config} says to migrate on
   * open, else only checks that none is missing: see {@link #apply} and {@link #check}.
   *
   * @param config the store's JDBC configuration: {@link JdbcConfig#migrateOnOpen()} decides
   */
  public static void ensure(
      Jdbi jdbi, Dialect dialect, Statements sql, String component, List<String> scripts, JdbcConfig config) {
    if (config.migrateOnOpen()) {
      apply(jdbi, dialect, sql, component, scripts);
    } else {
      check(jdbi, dialect, sql, component, scripts);
    }
  }

  /**
   * Checks, with reads only, that the database has every migration of {@code component}; runs no
   * DDL and takes no lock.
   *
   * @throws SchemaNotMigratedException when the database is behind or has none of the component's
   *     tables; its message says how to migrate
   * @throws EventStoreException when the database is ahead of this library
   */
  public static void check(Jdbi jdbi, Dialect dialect, Statements sql, String component, List<String> scripts) {
    int current = jdbi.withHandle(handle -> {
      if (!versionTableExists(handle, dialect, sql)) {
        return 0;
      }
      return currentVersion(handle, sql, component);
    });
    if (current > scripts.size()) {
      throw ahead(component, current, scripts.size());
    }
    if (current < scripts.size()) {
      throw behind(sql, component, current, scripts.size());
    }
  }

  /**
   * Applies the missing migrations of {@code component}.
   *
   * @param jdbi the store's Jdbi
   * @param dialect the store's dialect (its migration lock and error translation)
   * @param sql the component's statements (its folder holds {@code migrations/})
   * @param component a short stable name, such as {@code eventstore} or {@code scheduler}
   * @param scripts the script file names in order; version n is the n-th
   * @return the scripts applied now, in order (empty when the schema was up to date)
   */
  public static List<String> apply(Jdbi jdbi, Dialect dialect, Statements sql, String component, List<String> scripts) {
    Map<String, String> placeholders = sql.placeholders();
    return jdbi.inTransaction(handle -> {
      List<String> applied = new ArrayList<>();
      dialect.lockForMigration(handle, placeholders);
      dialect.beforeMigrations(handle, placeholders);
      String table = sql.substitute("${qualified_prefix}schema_version");
      handle.execute("CREATE TABLE IF NOT EXISTS " + table + " (component VARCHAR(64) NOT NULL, "
          + "version INTEGER NOT NULL, script VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL, "
          + "PRIMARY KEY (component, version))");
      int current = currentVersion(handle, sql, component);
      if (current > scripts.size()) {
        throw ahead(component, current, scripts.size());
      }
      for (int v = current + 1; v <= scripts.size(); v++) {
        String script = scripts.get(v - 1);
        run(handle.getConnection(), dialect, sql.script("migrations/" + script));
        handle.createUpdate("INSERT INTO " + table + " (component, version, script, applied_at) VALUES (:c, :v, :s, :t)")
            .bind("c", component).bind("v", v).bind("s", script).bind("t", Instant.now().toString()).execute();
        LOG.info("Applied {} migration {} ({})", component, script, dialect.name());
        applied.add(script);
      }
      return applied;
    });
  }

  private static int currentVersion(Handle handle, Statements sql, String component) {
    return handle.createQuery(sql.substitute("SELECT COALESCE(MAX(version), 0) FROM ${qualified_prefix}schema_version WHERE component = :c"))
        .bind("c", component).mapTo(Integer.class).one();
  }

  /** Whether {@code <prefix>schema_version} exists, asked of the driver's catalog: no DDL, no failed statement. */
  private static boolean versionTableExists(Handle handle, Dialect dialect, Statements sql) {
    String table = sql.substitute("${prefix}schema_version");
    String schema = sql.placeholders().get("schema");
    try {
      DatabaseMetaData catalog = handle.getConnection().getMetaData();
      // Names are LIKE patterns (the prefix's '_' matches any character): compare exactly.
      try (ResultSet rs = catalog.getTables(null, schema, table, null)) {
        while (rs.next()) {
          if (table.equals(rs.getString("TABLE_NAME")) && (schema == null || schema.equals(rs.getString("TABLE_SCHEM")))) {
            return true;
          }
        }
        return false;
      }
    } catch (SQLException e) {
      throw dialect.translate(e, "reading the schema version");
    }
  }

  private static EventStoreException ahead(String component, int current, int known) {
    return new EventStoreException("the database's " + component + " schema is at version " + current
        + " but this library knows only " + known + "; upgrade the library");
  }

  private static SchemaNotMigratedException behind(Statements sql, String component, int current, int needed) {
    String schema = sql.placeholders().get("schema");
    String where = current == 0
        ? "the database has no " + component + " tables yet"
        : "the database's " + component + " schema is at version " + current;
    return new SchemaNotMigratedException(component, current, needed, where + " but this library needs version " + needed
        + " (tables " + sql.placeholders().get("qualified_prefix") + "*), and the store was opened without migrateOnOpen, "
        + "so nothing was changed. Migrate once per deploy as the schema's owner: JdbcEventStore.migrate(url, jdbcConfig), "
        + "or the command line: java -jar fabula-cli-<version>-all.jar --url <jdbc-url> --prefix " + sql.placeholders().get("prefix")
        + (schema != null ? " --schema " + schema : "") + " migrate. "
        + "For embedded or development use, open with JdbcConfig.DEFAULT.withMigrateOnOpen(true) (see docs/operations.md)");
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
