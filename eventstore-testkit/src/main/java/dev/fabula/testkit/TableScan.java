package dev.fabula.testkit;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A raw scan of every table of a database, for erasure tests: the tables come from the database's
 * catalogue (PostgreSQL: every base table outside the system schemas; SQLite: every table of the
 * file), and every column of every row is read as text (bytes as UTF-8), so a test can say that no
 * byte of a secret string is left anywhere, whatever table a module added. Plain JDBC, not a store.
 *
 * <pre>{@code
 * List<TableScan.Hit> hits = TableScan.of(url).find("alice@example.com");
 * assertThat(hits).allMatch(h -> "globex".equals(h.tenantId())); // only the other tenant's copies
 * }</pre>
 */
public final class TableScan {
  private final String url;

  private TableScan(String url) {
    this.url = url;
  }

  /** A scan of the database at {@code url} (with credentials, for PostgreSQL). */
  public static TableScan of(String url) {
    return new TableScan(url);
  }

  /**
   * A row holding a secret: its table, the column, and its {@code tenant_id} column's value (null
   * when the table has none).
   *
   * @param table the table, schema-qualified on PostgreSQL
   * @param column the column holding the secret
   * @param tenantId the row's tenant_id, or null when the table has no such column
   * @param row the whole row as text, for failure messages
   */
  public record Hit(String table, String column, @Nullable String tenantId, String row) {}

  /** Every cell of every table holding any of {@code secrets}. */
  public List<Hit> find(String... secrets) {
    List<Hit> hits = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url)) {
      for (String table : tables(c)) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          ResultSetMetaData md = rs.getMetaData();
          int tenantColumn = -1;
          for (int i = 1; i <= md.getColumnCount(); i++) {
            if (md.getColumnName(i).toLowerCase(Locale.ROOT).equals("tenant_id")) {
              tenantColumn = i;
            }
          }
          while (rs.next()) {
            StringBuilder row = new StringBuilder();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              String text = text(rs.getObject(i));
              row.append(md.getColumnName(i)).append('=').append(text).append(' ');
              for (String secret : secrets) {
                if (text.contains(secret)) {
                  columns.add(md.getColumnName(i));
                }
              }
            }
            for (String column : columns) {
              hits.add(new Hit(table, column, tenantColumn < 0 ? null : rs.getString(tenantColumn), row.toString()));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new AssertionError("cannot scan " + url.replaceAll("password=[^&]*", "password=…") + ": " + e.getMessage(), e);
    }
    return hits;
  }

  /** The number of tables the scan reads. */
  public int tableCount() {
    try (Connection c = DriverManager.getConnection(url)) {
      return tables(c).size();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> tables(Connection c) throws SQLException {
    boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    String sql = postgres
        ? "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables"
            + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        : "SELECT '\"' || replace(name, '\"', '\"\"') || '\"' FROM sqlite_master WHERE type = 'table'";
    List<String> tables = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    return tables;
  }

  private static String text(@Nullable Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return value.toString();
  }
}
