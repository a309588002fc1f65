package dev.fabula.testkit.postgres;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL server that one test owns and may crash and restart, as an operations team would
 * ({@code pg_ctl stop -m immediate}, then a start on the same data directory and port), to check
 * what callers see when the database goes away under load. Unlike {@link PostgresServer#shared()},
 * it is started for the test and stopped by {@link #close()}.
 *
 * <p>It runs the embedded binaries as the JVM's own user, or, when the JVM runs as root, as {@code
 * -D}{@value PostgresServer#RUN_AS_USER_PROPERTY} (default {@code nobody}) through {@code
 * setpriv}; Linux only. Commits are synchronous ({@code synchronous_commit=on}), so a commit the
 * server acknowledged survives a crash of the server's processes; {@code fsync} is off, which only
 * matters if the machine itself fails.
 *
 * <pre>{@code
 * try (OwnedPostgres pg = OwnedPostgres.start()) {
 *   EventStore store = JdbcEventStore.open(pg.database().jdbcUrlWithCredentials(), ...);
 *   pg.crash();
 *   pg.restart();
 * }
 * }</pre>
 *
 * Thread-safe; {@link #crash()} and {@link #restart()} are meant for one controlling thread.
 */
public final class OwnedPostgres implements AutoCloseable {
  /** Settings of an owned server: survives a crash of its processes, not of the machine. */
  public static final Map<String, String> SETTINGS = Map.of(
      "fsync", "off", "synchronous_commit", "on", "full_page_writes", "off", "max_connections", "100",
      "timezone", "UTC");

  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final UnprivilegedPostgres server;

  private OwnedPostgres(UnprivilegedPostgres server) {
    this.server = server;
  }

  /**
   * Starts a server of its own with {@link #SETTINGS}.
   *
   * @throws IllegalStateException if it cannot start here (not Linux, or no {@code setpriv} as
   *     root); {@link #canRunHere()} tells beforehand
   */
  public static OwnedPostgres start() {
    if (!canRunHere()) {
      throw new IllegalStateException("an owned PostgreSQL server needs Linux (and setpriv when the JVM runs as root)");
    }
    String user = null;
    if (Os.uid() == 0) {
      String runAs = System.getProperty(PostgresServer.RUN_AS_USER_PROPERTY);
      user = runAs == null || runAs.isBlank() ? "nobody" : runAs.trim();
    }
    return new OwnedPostgres(UnprivilegedPostgres.start(new LinkedHashMap<>(SETTINGS), user, STARTUP_WAIT));
  }

  /** Whether {@link #start()} can work on this machine; for {@code @EnabledIf}. */
  public static boolean canRunHere() {
    return Os.isLinux() && Os.uid() >= 0 && (Os.uid() != 0 || Commands.onPath("setpriv"));
  }

  /** The server's {@code postgres} database, as its superuser {@code postgres}. */
  public PostgresDatabase database() {
    return new PostgresDatabase(server.jdbcUrl("postgres"), server.username(), server.password(), "postgres");
  }

  /**
   * Crashes the server ({@code pg_ctl stop -m immediate}): all its processes quit at once, every
   * connection breaks, and commits in flight end wherever they are. Returns once it is down.
   */
  public void crash() {
    server.crash();
  }

  /** Starts the crashed server again on the same data directory and port; returns once it accepts connections. */
  public void restart() {
    server.restart(STARTUP_WAIT);
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "OwnedPostgres[" + server.description() + "]";
  }
}
