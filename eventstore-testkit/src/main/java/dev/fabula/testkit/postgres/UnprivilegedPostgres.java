package dev.fabula.testkit.postgres;

import static dev.fabula.testkit.postgres.Commands.freePort;
import static dev.fabula.testkit.postgres.Commands.id;
import static dev.fabula.testkit.postgres.Commands.run;
import static dev.fabula.testkit.postgres.DataDirectories.deleteQuietly;
import static dev.fabula.testkit.postgres.DataDirectories.removeStaleFiles;
import static dev.fabula.testkit.postgres.PostgresBinaries.DIRECTORY_PERMISSIONS;
import static dev.fabula.testkit.postgres.PostgresBinaries.extractBinaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL server for a JVM that runs as root where zonky's own root handling
 * ({@code unshare -U}) is unavailable, typically a CI job inside a Docker container.
 *
 * <p>PostgreSQL refuses to run as root, so this class takes zonky's PostgreSQL binaries, unpacks
 * them below {@code java.io.tmpdir/fabula-embedded-pg}, and runs {@code initdb}, {@code postgres}
 * and {@code pg_ctl} through {@code setpriv --reuid --regid --clear-groups} as an unprivileged
 * user (by default {@code nobody}). A lock file per data directory lets a later JVM remove data
 * directories and postmasters left behind by a JVM that died without running its shutdown hook.
 * Immutable after {@link #start}; thread-safe.
 *
 * <p>This class runs the server's life: {@code initdb}, the postmaster, waiting for it and stopping
 * it. {@link PostgresBinaries} unpacks the binaries, {@link DataDirectories} removes what dead JVMs
 * left behind, and {@link Commands} runs the short commands.
 */
final class UnprivilegedPostgres implements PostgresBackend {

  private static final Logger LOG = LoggerFactory.getLogger(UnprivilegedPostgres.class);

  private final Path binaries;
  private final Path dataDirectory;
  private final Path logFile;
  private final Path lockFile;
  private final FileChannel lockChannel;
  private final List<String> runAs;
  /** The postmaster's command line, to start it again on the same data directory and port. */
  private final List<String> command;
  /** The running postmaster; replaced by {@link #restart}. */
  private volatile Process process;
  private final int port;
  private final String user;
  private final AtomicBoolean closed = new AtomicBoolean();

  private UnprivilegedPostgres(
      Path binaries, Path dataDirectory, Path logFile, Path lockFile, FileChannel lockChannel,
      List<String> runAs, List<String> command, Process process, int port, String user) {
    this.binaries = binaries;
    this.dataDirectory = dataDirectory;
    this.logFile = logFile;
    this.lockFile = lockFile;
    this.lockChannel = lockChannel;
    this.runAs = runAs;
    this.command = command;
    this.process = process;
    this.port = port;
    this.user = user;
  }

  /**
   * Initialises a new data directory and starts a postmaster on a free port, as {@code user}.
   *
   * @param settings server settings passed as {@code -c key=value}
   * @param user name of an existing unprivileged user to run PostgreSQL as, or null to run it as
   *     the JVM's own user (which must not be root)
   * @param startupWait longest time to wait for the server to accept connections
   * @throws UncheckedIOException if a step fails; the message contains the command's output
   */
  static UnprivilegedPostgres start(Map<String, String> settings, @Nullable String user, Duration startupWait) {
    return start(settings, user, startupWait, (binaries, data, runAs) -> {
      List<String> initdb = new ArrayList<>(runAs);
      initdb.addAll(List.of(
          binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres",
          "-D", data.toString(), "-E", "UTF-8"));
      if ("off".equals(settings.get("fsync"))) {
        initdb.add("--no-sync");
      }
      run(initdb, data.getParent());
    });
  }

  /** Fills a new, empty data directory (owned by the server's user) before the postmaster starts on it. */
  interface DataDirectoryInit {
    /**
     * @param binaries the unpacked PostgreSQL binaries
     * @param data the empty data directory
     * @param runAs the command prefix that runs a command as the server's user (empty: the JVM's)
     */
    void init(Path binaries, Path data, List<String> runAs) throws IOException;
  }

  /** Like {@link #start(Map, String, Duration)}, with the data directory filled by {@code init} instead of initdb. */
  static UnprivilegedPostgres start(
      Map<String, String> settings, @Nullable String user, Duration startupWait, DataDirectoryInit init) {
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "fabula-embedded-pg");
    try {
      Files.createDirectories(base);
      Files.setPosixFilePermissions(base, DIRECTORY_PERMISSIONS);
      int uid = user == null ? (int) Os.uid() : Integer.parseInt(id(user, "-u"));
      int gid = user == null ? -1 : Integer.parseInt(id(user, "-g"));
      if (uid == 0) {
        throw new IllegalArgumentException("PostgreSQL cannot run as root; choose another user");
      }
      List<String> runAs = user == null
          ? List.of()
          : List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups");
      removeStaleFiles(base);
      Path binaries = extractBinaries(base);

      // Lock first, so that no other JVM takes the directory for a leftover.
      Path lockFile;
      FileChannel lockChannel;
      while (true) {
        lockFile = base.resolve("data-" + Long.toUnsignedString(System.nanoTime(), 36) + ".lock");
        try {
          lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          DataDirectories.held(lockFile);
          break;
        } catch (FileAlreadyExistsException e) {
          // Try another name.
        }
      }
      String name = lockFile.getFileName().toString().replace(".lock", "");
      Path data = base.resolve(name);
      Path logFile = base.resolve(name + ".log");
      try {
        lockChannel.lock();
        Files.createDirectory(data);
        if (user != null) {
          Files.setAttribute(data, "unix:uid", uid);
          Files.setAttribute(data, "unix:gid", gid);
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));

        init.init(binaries, data, runAs);

        int port = freePort();
        List<String> postgres = new ArrayList<>(runAs);
        postgres.addAll(List.of(
            binaries.resolve("bin/postgres").toString(), "-D", data.toString(),
            "-p", Integer.toString(port), "-c", "unix_socket_directories="));
        settings.forEach((key, value) -> {
          postgres.add("-c");
          postgres.add(key + "=" + value);
        });
        Process process = launch(postgres, base, logFile);
        UnprivilegedPostgres server = new UnprivilegedPostgres(
            binaries, data, logFile, lockFile, lockChannel, runAs, List.copyOf(postgres), process, port,
            user == null ? System.getProperty("user.name") : user);
        try {
          server.awaitReady(startupWait);
        } catch (RuntimeException e) {
          server.close();
          throw e;
        }
        return server;
      } catch (IOException | RuntimeException e) {
        if (lockChannel.isOpen()) {
          lockChannel.close();
          deleteQuietly(data);
          deleteQuietly(logFile);
          deleteQuietly(lockFile);
          DataDirectories.released(lockFile);
        }
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start embedded PostgreSQL as user '" + user + "' below " + base
              + " (the directory must be reachable by that user; set java.io.tmpdir otherwise)",
          e);
    }
  }

  private static Process launch(List<String> postgres, Path directory, Path logFile) throws IOException {
    return new ProcessBuilder(postgres)
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
  }

  /**
   * Crashes the server as an operator's {@code pg_ctl stop -m immediate} does: every server
   * process quits at once, without a checkpoint; open connections break and transactions in flight
   * (a commit included) end wherever they are. Returns once the postmaster has exited.
   *
   * @throws IllegalStateException if the server does not stop within 30 s
   */
  void crash() {
    stop("immediate");
  }

  /**
   * Stops the server with {@code pg_ctl stop -m <mode>} ({@code fast}: a clean shutdown with a
   * checkpoint; {@code immediate}: a crash) and returns once the postmaster has exited.
   */
  void stop(String mode) {
    Process running = process;
    List<String> stop = new ArrayList<>(runAs);
    stop.addAll(List.of(binaries.resolve("bin/pg_ctl").toString(), "stop", "-m", mode, "-D",
        dataDirectory.toString()));
    try {
      run(stop, dataDirectory.getParent());
      if (!running.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("PostgreSQL did not stop within 30 s:\n" + readLog());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("pg_ctl stop -m " + mode + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping PostgreSQL", e);
    }
  }

  /**
   * Starts the server again on the same data directory and port (it runs crash recovery first)
   * and returns once it accepts connections.
   *
   * @param startupWait longest time to wait for it
   * @throws IllegalStateException if it is still running, or does not come up in time
   */
  void restart(Duration startupWait) {
    if (process.isAlive()) {
      throw new IllegalStateException("PostgreSQL is still running; crash() it first");
    }
    try {
      process = launch(command, dataDirectory.getParent(), logFile);
      awaitReady(startupWait);
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start again", e);
    }
  }

  /** Polls until the server accepts a connection, the process dies, or the wait is over. */
  private void awaitReady(Duration startupWait) throws IOException {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl(maintenanceDatabase()));
    dataSource.setUser(username());
    dataSource.setConnectTimeout(2);
    dataSource.setLoginTimeout(2);
    Instant deadline = Instant.now().plus(startupWait);
    SQLException last = null;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "PostgreSQL exited with code " + process.exitValue() + ":\n" + readLog());
      }
      try {
        dataSource.getConnection().close();
        return;
      } catch (SQLException e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
      }
    }
    throw new IllegalStateException(
        "PostgreSQL did not accept connections within " + startupWait + ":\n" + readLog(), last);
  }

  private String readLog() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Returns the process id of the postmaster (for tests). */
  long pid() {
    return process.pid();
  }

  /** The command prefix that runs a command as the server's user (empty: the JVM's own). */
  List<String> runAs() {
    return runAs;
  }

  /** The server's port on localhost. */
  int port() {
    return port;
  }

  /** Returns the data directory (for tests). */
  Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public String jdbcUrl(String databaseName) {
    return "jdbc:postgresql://localhost:" + port + "/" + databaseName;
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
    return "embedded PostgreSQL (zonky binaries, run as user '" + user + "' via setpriv) on port "
        + port;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (process.isAlive()) {
        // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
        List<String> kill = new ArrayList<>(runAs);
        kill.addAll(List.of(
            binaries.resolve("bin/pg_ctl").toString(), "kill", "INT", Long.toString(process.pid())));
        try {
          run(kill, dataDirectory.getParent());
        } catch (IOException | RuntimeException e) {
          LOG.debug("pg_ctl kill failed", e);
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    deleteQuietly(dataDirectory);
    deleteQuietly(logFile);
    try {
      lockChannel.close();
    } catch (IOException e) {
      LOG.debug("Could not close {}", lockFile, e);
    }
    deleteQuietly(lockFile);
    DataDirectories.released(lockFile);
  }
}
