package dev.fabula.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data directories copied from a template instead of an initdb per embedded server. */
class ClusterTemplatesTest {

  @Test
  void the_shared_embedded_server_runs_on_a_copy_of_the_template() throws Exception {
    PostgresServer server = PostgresServer.shared();
    assumeTrue(server.source() == PostgresServer.Source.EMBEDDED && server.description().contains("(zonky)"),
        "the shared server is zonky's embedded one");

    Path data = Path.of(PostgresServerTest.query(server.maintenanceDatabase(), "SHOW data_directory"));

    Path base = Path.of(System.getProperty("java.io.tmpdir"), "fabula-embedded-pg").toRealPath();
    assertThat(data.getParent().toRealPath()).isEqualTo(base);
    assertThat(data.getFileName().toString()).startsWith("data-");
    assertThat(base.resolve(data.getFileName() + ".lock")).as("the copy's lock file").exists();
  }

  @Test
  void each_copy_is_a_fresh_initialised_directory_removed_on_close() throws Exception {
    assumeTrue(Os.isLinux() && ZonkyPostgres.canRunHere(), "Linux, and unshare when root");
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "fabula-embedded-pg");
    Files.createDirectories(base);
    Path binaries = PostgresBinaries.extractBinaries(base);
    List<String> runAs = Os.uid() == 0 ? List.of("unshare", "-U") : List.of();

    try (ClusterTemplates.Copy first = ClusterTemplates.copy(base, binaries, runAs);
        ClusterTemplates.Copy second = ClusterTemplates.copy(base, binaries, runAs)) {
      assertThat(first.data()).isNotEqualTo(second.data());
      for (Path data : List.of(first.data(), second.data())) {
        assertThat(data.resolve("PG_VERSION")).content().startsWith("17");
        assertThat(data.resolve("postgresql.conf")).exists();
        assertThat(data.resolve("global/pg_control")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
      }
      second.close();
      assertThat(second.data()).doesNotExist();
      assertThat(first.data()).exists();
    }
  }
}
