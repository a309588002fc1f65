package dev.fabula.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf("dev.fabula.testkit.postgres.ReplicatedPostgres#canRunHere")
class ReplicatedPostgresTest {

  @Test
  void a_row_committed_on_the_primary_shows_on_the_hot_standby() throws Exception {
    try (ReplicatedPostgres pg = ReplicatedPostgres.start()) {
      try (Connection c = pg.primary().dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE replicated (id int)");
        s.execute("INSERT INTO replicated VALUES (7)");
      }
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      try (Connection c = pg.standby().dataSource().getConnection(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getBoolean(1)).as("the standby is in recovery").isTrue();
        }
        while (true) {
          try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname = 'replicated'")) {
            rs.next();
            if (rs.getInt(1) == 1) {
              break;
            }
          }
          assertThat(Instant.now()).as("the table reaches the standby in time").isBefore(deadline);
          Thread.sleep(10);
        }
        try (ResultSet rs = s.executeQuery("SELECT id FROM replicated")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(7);
        }
      }
      assertThat(pg.replayLagBytes()).isGreaterThanOrEqualTo(0);
    }
  }
}
