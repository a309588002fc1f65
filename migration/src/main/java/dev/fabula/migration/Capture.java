package dev.fabula.migration;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.internal.Identifiers;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.internal.MigrationTables;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and removes change-capture triggers on legacy tables. A captured table records every
 * insert, update and delete (old and new row as JSON) in the toolkit's capture table, in the
 * writer's own transaction, so a change is captured if and only if it commits.
 *
 * <ul>
 *   <li>PostgreSQL: one {@code AFTER INSERT OR UPDATE OR DELETE … FOR EACH ROW} trigger per table,
 *       calling the toolkit's function, which stores {@code to_jsonb(OLD)} and {@code to_jsonb(NEW)}:
 *       columns added later are captured too. The function is {@code SECURITY DEFINER}: it runs
 *       with the rights of the role that created the toolkit's tables (with a fixed {@code
 *       search_path}), so the legacy app's role needs no right on the capture table and capture
 *       never makes its writes fail.
 *   <li>SQLite: three triggers per table whose {@code json_object(…)} lists the columns read with
 *       {@code PRAGMA table_info} at install time: after adding a column, remove and install again.
 *       A BLOB value, which JSON cannot hold, is captured as text: {@code \x} and its bytes in
 *       lower-case hex, as PostgreSQL captures a {@code bytea}.
 * </ul>
 *
 * <p>The triggers are the only thing the toolkit ever adds to a legacy table, and {@link #remove}
 * takes them away, leaving the table exactly as it was. Installing twice does nothing. Thread-safe.
 */
public final class Capture {
  private static final Logger LOG = LoggerFactory.getLogger(Capture.class);
  private final JdbcEventStore store;
  private final ComponentDatabase sql;

  private Capture(JdbcEventStore store) {
    this.store = Objects.requireNonNull(store, "store");
    this.sql = MigrationTables.open(store);
  }

  /** Capture for tables in {@code store}'s database; creates the toolkit's tables if needed. */
  public static Capture open(JdbcEventStore store) {
    return new Capture(store);
  }

  /**
   * Installs the capture triggers on {@code table} (optionally {@code schema.table} on PostgreSQL),
   * unless they are installed already.
   *
   * @throws IllegalArgumentException if the name is not a plain table name
   * @throws MigrationException if the table does not exist or a column name cannot be captured
   */
  public void install(String table) {
    Identifiers.table(table);
    sql.write("installing capture on " + table, h -> {
      if (!triggers(h, table).isEmpty()) {
        LOG.info("Capture on {} is already installed", table);
        return null;
      }
      if (sql.has("capture_install")) {
        h.execute(sql.sql("capture_install", names(table)));
      } else {
        List<String> columns = h.createQuery(sql.sql("table_columns", names(table))).mapTo(String.class).list();
        if (columns.isEmpty()) {
          throw new MigrationException("table '" + table + "' does not exist; create it or check the name");
        }
        Map<String, String> names = new java.util.HashMap<>(names(table));
        names.put("table_literal", "'" + Identifiers.unqualified(table) + "'");
        names.put("old_json", json("OLD", columns, table));
        names.put("new_json", json("NEW", columns, table));
        for (String op : List.of("insert", "update", "delete")) {
          h.execute(sql.sql("capture_install_" + op, names));
        }
      }
      LOG.info("Capture installed on {} ({})", table, sql.dialectName());
      return null;
    });
  }

  /** Removes the capture triggers from {@code table}; does nothing when none are installed. */
  public void remove(String table) {
    Identifiers.table(table);
    sql.write("removing capture from " + table, h -> {
      if (sql.has("capture_install")) {
        h.execute(sql.sql("capture_remove", names(table)));
      } else {
        for (String op : List.of("insert", "update", "delete")) {
          h.execute(sql.sql("capture_remove_" + op, names(table)));
        }
      }
      LOG.info("Capture removed from {}", table);
      return null;
    });
  }

  /** Whether capture triggers are installed on {@code table}. */
  public boolean installed(String table) {
    Identifiers.table(table);
    return sql.read("reading the capture triggers of " + table, h -> !triggers(h, table).isEmpty());
  }

  /** How many captured changes of {@code table} wait to be applied. */
  public long pending(String table) {
    return sql.read("counting captured changes of " + table, h -> h.createQuery(sql.sql("capture_count"))
        .bind("table_name", Identifiers.unqualified(Identifiers.table(table))).mapTo(Long.class).one());
  }

  private List<String> triggers(Handle h, String table) {
    String prefix = triggerName(table);
    return h.createQuery(sql.sql("capture_triggers")).bind("table_name", Identifiers.unqualified(table))
        .mapTo(String.class).list().stream().filter(t -> t.startsWith(prefix)).toList();
  }

  private Map<String, String> names(String table) {
    return Map.of("legacy_table", table, "trigger_name", triggerName(table));
  }

  private String triggerName(String table) {
    String name = (sql.tablePrefix() + "capture_" + Identifiers.unqualified(table));
    if (name.length() > 60) {
      throw new MigrationException("the trigger name '" + name + "' would be longer than 60 characters; "
          + "use a shorter table prefix");
    }
    return name;
  }

  private static String json(String ref, List<String> columns, String table) {
    StringBuilder out = new StringBuilder("json_object(");
    for (int i = 0; i < columns.size(); i++) {
      String column = columns.get(i);
      try {
        Identifiers.column(column);
      } catch (IllegalArgumentException e) {
        throw new MigrationException("column '" + column + "' of table '" + table
            + "' is not a plain name the SQLite capture trigger can list; rename it or capture a view", e);
      }
      // json_object refuses a BLOB, which would fail the legacy write: a BLOB goes in as PostgreSQL's bytea text
      String value = ref + ".\"" + column + '"';
      out.append(i == 0 ? "" : ", ").append('\'').append(column).append("', ")
          .append("CASE typeof(").append(value).append(") WHEN 'blob' THEN '\\x' || lower(hex(").append(value)
          .append(")) ELSE ").append(value).append(" END");
    }
    return out.append(')').toString();
  }
}
