package dev.fabula.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** A test's own server: crashed like {@code pg_ctl stop -m immediate}, restarted on the same data and port. */
@EnabledIf("dev.fabula.testkit.postgres.OwnedPostgres#canRunHere")
class OwnedPostgresTest {

  @Test
  void a_crashed_server_restarts_on_the_same_port_with_every_committed_row() throws SQLException {
    try (OwnedPostgres pg = OwnedPostgres.start()) {
      PostgresDatabase db = pg.database();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (n int)");
        s.execute("INSERT INTO t VALUES (1)");
        pg.crash();
        assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (2)")).isInstanceOf(SQLException.class);
      }
      pg.restart();
      assertThat(PostgresServerTest.query(db, "SELECT count(*) FROM t WHERE n = 1")).isEqualTo("1");
      assertThat(pg.database()).isEqualTo(db);
    }
  }
}
