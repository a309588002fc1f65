package dev.fabula.testkit.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL server run by zonky's {@link EmbeddedPostgres}.
 *
 * <p>When the JVM runs as root on Linux, zonky itself prefixes {@code initdb}, {@code pg_ctl} and
 * {@code postgres} with {@code unshare -U}, which runs them as the unmapped user {@code nobody}
 * in a new user namespace; see {@link UnprivilegedPostgres} for hosts where that is impossible.
 * Immutable after {@link #start}; thread-safe.
 */
final class ZonkyPostgres implements PostgresBackend {

  private static final Logger LOG = LoggerFactory.getLogger(ZonkyPostgres.class);

  private final EmbeddedPostgres postgres;
  private final ClusterTemplates.@Nullable Copy data;

  private ZonkyPostgres(EmbeddedPostgres postgres, ClusterTemplates.@Nullable Copy data) {
    this.postgres = postgres;
    this.data = data;
  }

  /**
   * Starts a server with the given settings. Zonky always passes {@code -F} (fsync off); a
   * {@code fsync} entry in {@code settings} comes later on the command line and wins. The data
   * directory is a copy of a {@link ClusterTemplates template}, which saves an {@code initdb} per
   * server; when no copy can be made, zonky runs {@code initdb} itself.
   *
   * @throws UncheckedIOException if the server cannot be started
   */
  static ZonkyPostgres start(Map<String, String> settings, Duration startupWait) {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setPGStartupWait(startupWait)
        .setRegisterShutdownHook(false)
        .setCleanDataDirectory(true);
    settings.forEach(builder::setServerConfig);
    ClusterTemplates.Copy data = templateCopy();
    if (data != null) {
      // An initialised directory: zonky skips initdb, and leaves deleting it to close().
      builder.setDataDirectory(data.data()).setCleanDataDirectory(false);
    }
    try {
      return new ZonkyPostgres(builder.start(), data);
    } catch (IOException e) {
      closeQuietly(data);
      throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
    } catch (RuntimeException e) {
      closeQuietly(data);
      throw e;
    }
  }

  private static void closeQuietly(ClusterTemplates.@Nullable Copy data) {
    if (data != null) {
      data.close();
    }
  }

  /** A copy of the data directory template, or null (logged) when none can be made here. */
  private static ClusterTemplates.@Nullable Copy templateCopy() {
    if (!Os.isLinux()) {
      return null;
    }
    // As root, zonky runs initdb and postgres through "unshare -U"; the template is made the same way.
    List<String> runAs = Os.uid() == 0 ? List.of("unshare", "-U") : List.of();
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "fabula-embedded-pg");
    try {
      Files.createDirectories(base);
      Files.setPosixFilePermissions(base, PostgresBinaries.DIRECTORY_PERMISSIONS);
      return ClusterTemplates.copy(base, PostgresBinaries.extractBinaries(base), runAs);
    } catch (IOException | RuntimeException e) {
      LOG.info("No data directory template below {} ({}); initdb runs for this server", base, e.toString());
      return null;
    }
  }

  /**
   * Tells whether zonky can run PostgreSQL from this JVM: true unless the JVM runs as root on
   * Linux and {@code unshare -U} is unusable (user namespaces disabled, for example inside a
   * Docker container with the default seccomp profile).
   */
  static boolean canRunHere() {
    if (!Os.isLinux() || Os.uid() != 0) {
      return true;
    }
    try {
      return io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable();
    } catch (LinkageError e) {
      return false;
    }
  }

  @Override
  public String jdbcUrl(String databaseName) {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + databaseName;
  }

  @Override
  public String username() {
    return "postgres";
  }

  @Override
  public @Nullable String password() {
    return null;
  }

  @Override
  public String maintenanceDatabase() {
    return "postgres";
  }

  @Override
  public String description() {
    return "embedded PostgreSQL (zonky) on port " + postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not stop embedded PostgreSQL", e);
    }
    if (data != null) {
      data.close();
    }
  }
}
