package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.testkit.postgres.PostgresDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The roles of docs/postgresql.md ("Roles and grants", "Row-level security") as a test runs them:
 * the page's SQL blocks with role names made unique to this run (roles are cluster-wide), one
 * password, and connections as each role. Shared by the tests that run the page.
 */
final class DocRoles {
  private static final Path PAGE = Path.of(System.getProperty("user.dir"), "postgresql.md");
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final String PASSWORD = "Pw-" + System.nanoTime();

  private final String suffix = "_" + ProcessHandle.current().pid() + "_" + RUNS.incrementAndGet();

  /** The suffix this run appends to the page's role names. */
  String suffix() {
    return suffix;
  }

  /** The page's role {@code role} ({@code fabula_app}, …) as this run names it. */
  String role(String role) {
    return role + suffix;
  }

  /** The SQL block under {@code <!-- sql: name -->} in docs/postgresql.md, with this run's role names. */
  String block(String name) throws IOException {
    Matcher m = Pattern.compile("<!-- sql: " + name + " -->\\s*```sql\\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(PAGE));
    assertThat(m.find()).as("block %s in %s", name, PAGE).isTrue();
    return m.group(1)
        .replace("'change-me'", "'" + PASSWORD + "'")
        .replaceAll("\\b(fabula_owner|fabula_app|fabula_reporting|fabula_operator)\\b", "$1" + suffix);
  }

  /** {@code db} as the page's role {@code role}. */
  PostgresDatabase as(PostgresDatabase db, String role) {
    return new PostgresDatabase(db.jdbcUrl(), role(role), PASSWORD, db.databaseName());
  }

  String url(PostgresDatabase db, String role) {
    return as(db, role).jdbcUrlWithCredentials();
  }

  DataSource dataSource(PostgresDatabase db, String role) {
    return as(db, role).dataSource();
  }

  Connection connect(PostgresDatabase db, String role) throws SQLException {
    return dataSource(db, role).getConnection();
  }

  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  static List<String> strings(Connection connection, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  /** Runs {@code sql}, which must fail, and ends the transaction it may have left aborted. */
  static SQLException refused(Connection connection, String sql) throws SQLException {
    try {
      execute(connection, sql);
    } catch (SQLException e) {
      if (connection.getAutoCommit()) {
        execute(connection, "ROLLBACK");
      } else {
        connection.rollback();
      }
      return e;
    }
    throw new AssertionError("not refused: " + sql);
  }
}
