package dev.fabula.testkit.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
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

  private ZonkyPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a server with the given settings. Zonky always passes {@code -F} (fsync off); a
   * {@code fsync} entry in {@code settings} comes later on the command line and wins.
   *
   * @throws UncheckedIOException if the server cannot be started
   */
  static ZonkyPostgres start(Map<String, String> settings, Duration startupWait) {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setPGStartupWait(startupWait)
        .setRegisterShutdownHook(false)
        .setCleanDataDirectory(true);
    settings.forEach(builder::setServerConfig);
    try {
      return new ZonkyPostgres(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
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
  }
}
