package dev.fabula.testkit.postgres;

import static dev.fabula.testkit.postgres.Commands.run;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL primary and a hot standby that streams from it, both started for one test on this
 * machine and stopped by {@link #close()}: for testing reads from a replica.
 *
 * <p>How the standby is made: the primary starts ({@code wal_level=replica}, {@code
 * hot_standby=on}; initdb's {@code pg_hba.conf} already lets local replication connections in),
 * gets a physical replication slot, and is stopped cleanly; its data directory is copied (a cold
 * base backup: the embedded binaries ship no {@code pg_basebackup}, and a copy of a cleanly
 * stopped server is an equally valid base), and the copy gets {@code standby.signal}, {@code
 * primary_conninfo} and {@code primary_slot_name}, as {@code pg_basebackup -R} writes them. Then
 * the primary starts again and the standby starts on the copy and streams from it.
 *
 * <p>Both run as {@link OwnedPostgres} does (the JVM's user, or {@code nobody} through {@code
 * setpriv} as root; Linux only) with {@link OwnedPostgres#SETTINGS}: commits are synchronous on
 * the primary.
 *
 * <pre>{@code
 * try (ReplicatedPostgres pg = ReplicatedPostgres.start()) {
 *   JdbcEventStore store = JdbcEventStore.open(pg.primary().jdbcUrlWithCredentials(), config,
 *       JdbcConfig.DEFAULT.withReadReplica(ReadReplica.of(pg.standby().jdbcUrlWithCredentials())));
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class ReplicatedPostgres implements AutoCloseable {
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final String SLOT = "fabula_standby";

  private final UnprivilegedPostgres primary;
  private final UnprivilegedPostgres standby;

  private ReplicatedPostgres(UnprivilegedPostgres primary, UnprivilegedPostgres standby) {
    this.primary = primary;
    this.standby = standby;
  }

  /**
   * Starts a primary and a hot standby of it, and returns once the standby streams.
   *
   * @throws IllegalStateException if they cannot start here ({@link #canRunHere()} tells
   *     beforehand) or the standby does not stream within a minute
   */
  public static ReplicatedPostgres start() {
    if (!OwnedPostgres.canRunHere()) {
      throw new IllegalStateException("a replicated PostgreSQL pair needs Linux (and setpriv when the JVM runs as root)");
    }
    String user = null;
    if (Os.uid() == 0) {
      String runAs = System.getProperty(PostgresServer.RUN_AS_USER_PROPERTY);
      user = runAs == null || runAs.isBlank() ? "nobody" : runAs.trim();
    }
    Map<String, String> settings = new LinkedHashMap<>(OwnedPostgres.SETTINGS);
    settings.put("wal_level", "replica");
    settings.put("hot_standby", "on");
    settings.put("max_wal_senders", "4");
    settings.put("wal_receiver_status_interval", "1s");
    UnprivilegedPostgres primary = UnprivilegedPostgres.start(settings, user, STARTUP_WAIT);
    UnprivilegedPostgres standby = null;
    try {
      execute(primary, "SELECT pg_create_physical_replication_slot('" + SLOT + "')");
      primary.stop("fast");
      Path source = primary.dataDirectory();
      int primaryPort = primary.port();
      standby = UnprivilegedPostgres.start(settings, user, STARTUP_WAIT, (binaries, data, runAs) -> {
        List<String> copy = new ArrayList<>(runAs);
        copy.addAll(List.of("cp", "-a", source + "/.", data.toString()));
        run(copy, data.getParent());
        List<String> configure = new ArrayList<>(runAs);
        configure.addAll(List.of("sh", "-c", "rm -rf \"$1/pg_replslot/" + SLOT + "\" \"$1/postmaster.pid\" && touch \"$1/standby.signal\" && "
            + "printf \"%s\\n\" \"$2\" >> \"$1/postgresql.auto.conf\"", "sh", data.toString(),
            "primary_conninfo = 'host=localhost port=" + primaryPort + " user=postgres application_name=fabula_standby'\n"
                + "primary_slot_name = '" + SLOT + "'"));
        run(configure, data.getParent());
        primary.restart(STARTUP_WAIT);
      });
      ReplicatedPostgres pair = new ReplicatedPostgres(primary, standby);
      pair.awaitStreaming(STARTUP_WAIT);
      return pair;
    } catch (RuntimeException e) {
      if (standby != null) {
        standby.close();
      }
      primary.close();
      throw e;
    }
  }

  /** Whether {@link #start()} can work on this machine; for {@code @EnabledIf}. */
  public static boolean canRunHere() {
    return OwnedPostgres.canRunHere();
  }

  /** The primary's {@code postgres} database, as its superuser {@code postgres}: write here. */
  public PostgresDatabase primary() {
    return new PostgresDatabase(primary.jdbcUrl("postgres"), primary.username(), primary.password(), "postgres");
  }

  /** The standby's {@code postgres} database (read-only, a hot standby), as {@code postgres}. */
  public PostgresDatabase standby() {
    return new PostgresDatabase(standby.jdbcUrl("postgres"), standby.username(), standby.password(), "postgres");
  }

  /**
   * How far the standby's replay is behind the primary's WAL now, in bytes (0 when caught up).
   */
  public long replayLagBytes() {
    long primaryLsn = Long.parseLong(query(primary, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"));
    long replayed = Long.parseLong(query(standby, "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint"));
    return Math.max(0, primaryLsn - replayed);
  }

  private void awaitStreaming(Duration wait) {
    Instant deadline = Instant.now().plus(wait);
    while (Instant.now().isBefore(deadline)) {
      if ("streaming".equals(query(primary, "SELECT max(state) FROM pg_stat_replication"))) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the standby", e);
      }
    }
    throw new IllegalStateException("the standby did not stream from the primary within " + wait + ": " + this);
  }

  private static void execute(UnprivilegedPostgres server, String sql) {
    query(server, sql);
  }

  private static @Nullable String query(UnprivilegedPostgres server, String sql) {
    try (Connection c = new PostgresDatabase(server.jdbcUrl("postgres"), server.username(), server.password(), "postgres")
            .dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException("'" + sql + "' failed on " + server.description() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      standby.close();
    } finally {
      primary.close();
    }
  }

  @Override
  public String toString() {
    return "ReplicatedPostgres[primary " + primary.description() + ", standby " + standby.description() + "]";
  }
}
