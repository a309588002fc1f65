package dev.fabula.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

  /**
   * The clean-up of leftovers runs in every JVM that starts a server. It must not open the lock
   * file of a copy this JVM holds: closing that channel would release the JVM's lock (POSIX locks
   * belong to the process), and the next JVM's clean-up would take the live server's directory
   * for a leftover and stop its postmaster (seen when two builds ran at once).
   */
  @Test
  void the_clean_up_leaves_the_lock_of_a_copy_this_jvm_holds() throws Exception {
    assumeTrue(Os.isLinux() && ZonkyPostgres.canRunHere() && Files.isReadable(Path.of("/proc/locks")),
        "Linux with /proc/locks, and unshare when root");
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "fabula-embedded-pg");
    Files.createDirectories(base);
    Path binaries = PostgresBinaries.extractBinaries(base);
    List<String> runAs = Os.uid() == 0 ? List.of("unshare", "-U") : List.of();

    try (ClusterTemplates.Copy copy = ClusterTemplates.copy(base, binaries, runAs)) {
      Path lockFile = base.resolve(copy.data().getFileName() + ".lock");
      // Older than the clean-up's minute. Another process backdates it: Files.setLastModifiedTime
      // would open and close the file in this JVM, which itself releases the lock.
      assertThat(new ProcessBuilder("touch", "-d", "10 minutes ago", lockFile.toString()).start().waitFor()).isZero();
      assertThat(Files.getLastModifiedTime(lockFile).toInstant()).isBefore(Instant.now().minus(5, ChronoUnit.MINUTES));
      assertThat(locked(lockFile)).as("locked after the copy").isTrue();

      DataDirectories.removeStaleFiles(base);

      assertThat(locked(lockFile)).as("still locked after the clean-up").isTrue();
      assertThat(copy.data()).exists();
    }
  }

  /** Whether /proc/locks lists a lock on the file's inode held by this process (or an open file description). */
  private static boolean locked(Path file) throws Exception {
    long inode = (Long) Files.getAttribute(file, "unix:ino");
    long pid = ProcessHandle.current().pid();
    return Files.readAllLines(Path.of("/proc/locks")).stream()
        .map(line -> line.trim().split("\\s+"))
        .anyMatch(f -> f.length > 5 && f[5].endsWith(":" + inode) && (f[4].equals(Long.toString(pid)) || f[4].equals("-1")));
  }
}
