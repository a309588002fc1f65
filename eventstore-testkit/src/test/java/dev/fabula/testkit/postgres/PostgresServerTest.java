package dev.fabula.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

  static String query(PostgresDatabase database, String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  static boolean exists(PostgresServer server, String databaseName) throws SQLException {
    return query(server.maintenanceDatabase(),
        "SELECT count(*) FROM pg_database WHERE datname = '" + databaseName + "'").equals("1");
  }

  @Test
  void server_answers_select_version() throws SQLException {
    PostgresServer server = PostgresServer.shared();

    String version = query(server.maintenanceDatabase(), "select version()");

    assertThat(version).startsWith("PostgreSQL ");
    if (server.source() != PostgresServer.Source.EXTERNAL) {
      assertThat(version).startsWith("PostgreSQL 17.");
    }
  }

  @Test
  void shared_returns_the_same_server_every_time() {
    assertThat(PostgresServer.shared()).isSameAs(PostgresServer.shared());
  }

  @Test
  void created_databases_have_distinct_names_and_can_be_dropped() throws SQLException {
    PostgresServer server = PostgresServer.shared();

    PostgresDatabase first = server.createDatabase();
    PostgresDatabase second = server.createDatabase();

    assertThat(first.databaseName()).startsWith("fabula_test_").isNotEqualTo(second.databaseName());
    assertThat(query(first, "select current_database()")).isEqualTo(first.databaseName());
    assertThat(query(second, "select current_database()")).isEqualTo(second.databaseName());

    server.dropDatabase(first);
    server.dropDatabase(second);

    assertThat(exists(server, first.databaseName())).isFalse();
    assertThat(exists(server, second.databaseName())).isFalse();
  }

  @Test
  void dropping_a_database_disconnects_its_sessions() throws SQLException {
    PostgresServer server = PostgresServer.shared();
    PostgresDatabase database = server.createDatabase();

    try (Connection open = database.dataSource().getConnection()) {
      server.dropDatabase(database);

      assertThat(open.isValid(2)).isFalse();
    }
    assertThat(exists(server, database.databaseName())).isFalse();
  }

  @Test
  void the_maintenance_database_cannot_be_dropped() {
    PostgresServer server = PostgresServer.shared();

    assertThatThrownBy(() -> server.dropDatabase(server.maintenanceDatabase()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fsync_setting_is_readable() throws SQLException {
    PostgresServer server = PostgresServer.shared();

    String fsync = query(server.maintenanceDatabase(), "SHOW fsync");

    assertThat(fsync).isIn("on", "off");
    if (server.source() != PostgresServer.Source.EXTERNAL) {
      assertThat(fsync).isEqualTo(server.settings().get("fsync"));
    }
  }

  @Test
  void durable_server_flushes_every_commit() throws SQLException {
    assumeTrue(System.getenv(PostgresServer.URL_ENV) == null,
        "an external server keeps its own settings");
    PostgresServer durable = PostgresServer.durable();
    PostgresDatabase database = durable.createDatabase();

    assertThat(durable.isDurable()).isTrue();
    assertThat(query(database, "SHOW fsync")).isEqualTo("on");
    assertThat(query(database, "SHOW synchronous_commit")).isEqualTo("on");
    assertThat(query(database, "SHOW full_page_writes")).isEqualTo("on");
    if (!Boolean.getBoolean(PostgresServer.DURABLE_PROPERTY)) {
      assertThat(durable).isNotSameAs(PostgresServer.shared());
      assertThat(query(PostgresServer.shared().maintenanceDatabase(), "SHOW fsync"))
          .isEqualTo("off");
    }
    durable.dropDatabase(database);
  }

  @Test
  void database_to_string_masks_the_password() {
    PostgresDatabase database =
        new PostgresDatabase("jdbc:postgresql://h/db", "u", "secret", "db");

    assertThat(database.toString()).doesNotContain("secret").contains("***");
  }
}
