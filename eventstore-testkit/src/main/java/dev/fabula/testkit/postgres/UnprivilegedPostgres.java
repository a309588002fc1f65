package dev.fabula.testkit.postgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
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
 */
final class UnprivilegedPostgres implements PostgresBackend {

  private static final Logger LOG = LoggerFactory.getLogger(UnprivilegedPostgres.class);

  private static final Object EXTRACT_LOCK = new Object();
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration STALE_AGE = Duration.ofMinutes(1);
  private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private final Path binaries;
  private final Path dataDirectory;
  private final Path logFile;
  private final Path lockFile;
  private final FileChannel lockChannel;
  private final List<String> runAs;
  private final Process process;
  private final int port;
  private final String user;
  private final AtomicBoolean closed = new AtomicBoolean();

  private UnprivilegedPostgres(
      Path binaries, Path dataDirectory, Path logFile, Path lockFile, FileChannel lockChannel,
      List<String> runAs, Process process, int port, String user) {
    this.binaries = binaries;
    this.dataDirectory = dataDirectory;
    this.logFile = logFile;
    this.lockFile = lockFile;
    this.lockChannel = lockChannel;
    this.runAs = runAs;
    this.process = process;
    this.port = port;
    this.user = user;
  }

  /**
   * Initialises a new data directory and starts a postmaster on a free port, as {@code user}.
   *
   * @param settings server settings passed as {@code -c key=value}
   * @param user name of an existing unprivileged user to run PostgreSQL as
   * @param startupWait longest time to wait for the server to accept connections
   * @throws UncheckedIOException if a step fails; the message contains the command's output
   */
  static UnprivilegedPostgres start(Map<String, String> settings, String user, Duration startupWait) {
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "fabula-embedded-pg");
    try {
      Files.createDirectories(base);
      Files.setPosixFilePermissions(base, DIRECTORY_PERMISSIONS);
      int uid = Integer.parseInt(id(user, "-u"));
      int gid = Integer.parseInt(id(user, "-g"));
      if (uid == 0) {
        throw new IllegalArgumentException("PostgreSQL cannot run as root; choose another user");
      }
      List<String> runAs =
          List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups");
      removeStaleFiles(base);
      Path binaries = extractBinaries(base);

      // Lock first, so that no other JVM takes the directory for a leftover.
      Path lockFile;
      FileChannel lockChannel;
      while (true) {
        lockFile = base.resolve("data-" + Long.toUnsignedString(System.nanoTime(), 36) + ".lock");
        try {
          lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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
        Files.setAttribute(data, "unix:uid", uid);
        Files.setAttribute(data, "unix:gid", gid);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));

        List<String> initdb = new ArrayList<>(runAs);
        initdb.addAll(List.of(
            binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres",
            "-D", data.toString(), "-E", "UTF-8"));
        if ("off".equals(settings.get("fsync"))) {
          initdb.add("--no-sync");
        }
        run(initdb, base);

        int port = freePort();
        List<String> postgres = new ArrayList<>(runAs);
        postgres.addAll(List.of(
            binaries.resolve("bin/postgres").toString(), "-D", data.toString(),
            "-p", Integer.toString(port), "-c", "unix_socket_directories="));
        settings.forEach((key, value) -> {
          postgres.add("-c");
          postgres.add(key + "=" + value);
        });
        Process process = new ProcessBuilder(postgres)
            .directory(base.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
        UnprivilegedPostgres server = new UnprivilegedPostgres(
            binaries, data, logFile, lockFile, lockChannel, runAs, process, port, user);
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
  }

  /** Returns the numeric user ({@code -u}) or group ({@code -g}) id of {@code user}. */
  private static String id(String user, String option) throws IOException {
    String out = run(List.of("id", option, user), null).trim();
    if (!out.matches("\\d+")) {
      throw new IOException("Unexpected output of 'id " + option + " " + user + "': " + out);
    }
    return out;
  }

  /**
   * Runs a command to completion, returning its combined output.
   *
   * @throws IOException if it cannot be started, times out or exits with a non-zero code
   */
  private static String run(List<String> command, @Nullable Path directory) throws IOException {
    Path output = Files.createTempFile("fabula-pg-", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      Process process = builder.start();
      boolean exited;
      try {
        exited = process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IOException("Interrupted while running " + command, e);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (!exited) {
        process.destroyForcibly();
        throw new IOException("Timed out after " + COMMAND_TIMEOUT + ": " + command + "\n" + text);
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            "Exit code " + process.exitValue() + " from " + command + "\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Unpacks zonky's PostgreSQL archive for this platform once per archive content; later calls
   * (also from other JVMs) reuse the directory.
   */
  private static Path extractBinaries(Path base) throws IOException {
    byte[] archive;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
        "Linux", System.getProperty("os.arch"))) {
      archive = in.readAllBytes();
    }
    Path target = base.resolve("pg-" + sha256(archive).substring(0, 16));
    if (Files.isRegularFile(target.resolve(".complete"))) {
      return target;
    }
    synchronized (EXTRACT_LOCK) {
      if (Files.isRegularFile(target.resolve(".complete"))) {
        return target;
      }
      long started = System.nanoTime();
      Path temporary = Files.createTempDirectory(base, "extract-");
      try {
        untar(archive, temporary);
        Files.createFile(temporary.resolve(".complete"));
        try {
          Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
          // Another JVM was faster; use its copy.
        }
      } finally {
        deleteQuietly(temporary);
      }
      LOG.debug("Extracted PostgreSQL binaries to {} in {} ms", target,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      return target;
    }
  }

  private static void untar(byte[] archive, Path root) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
          throw new IOException("Archive entry outside the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          continue;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createLink(path, root.resolve(entry.getLinkName()).normalize());
        } else {
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(path, readableByAll(entry.getMode()));
        }
      }
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(path, DIRECTORY_PERMISSIONS);
        }
      }
    }
  }

  /** Owner rights from the archive, plus read (and execute, if the owner may) for everyone. */
  private static Set<PosixFilePermission> readableByAll(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.of(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    if ((mode & 0100) != 0) {
      permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
    }
    return permissions;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Removes data directories whose owning JVM has died (their lock can be taken), stopping any
   * postmaster still running in them, and half-finished extractions.
   */
  private static void removeStaleFiles(Path base) {
    Instant staleBefore = Instant.now().minus(STALE_AGE);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (Files.getLastModifiedTime(entry).toInstant().isAfter(staleBefore)) {
          continue;
        }
        if (name.startsWith("extract-")) {
          deleteQuietly(entry);
        } else if (name.startsWith("data-") && name.endsWith(".lock")) {
          removeIfAbandoned(entry, base.resolve(name.replace(".lock", "")));
        }
      }
    } catch (IOException e) {
      LOG.debug("Could not clean up {}", base, e);
    }
  }

  private static void removeIfAbandoned(Path lockFile, Path data) throws IOException {
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        return; // held by this JVM
      }
      if (lock == null) {
        return; // held by a live JVM
      }
      Path pidFile = data.resolve("postmaster.pid");
      if (Files.isRegularFile(pidFile)) {
        String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream()
            .findFirst().orElse("").trim();
        if (first.matches("\\d+")) {
          ProcessHandle.of(Long.parseLong(first)).ifPresent(postmaster -> {
            LOG.info("Stopping PostgreSQL {} left behind in {}", postmaster.pid(), data);
            postmaster.destroy(); // SIGTERM: its clients died with their JVM
            try {
              postmaster.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
              postmaster.destroyForcibly();
            }
          });
        }
      }
      deleteQuietly(data);
      deleteQuietly(data.resolveSibling(data.getFileName() + ".log"));
      lock.release();
    }
    deleteQuietly(lockFile);
  }

  private static void deleteQuietly(Path path) {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.debug("Could not delete {}", p, e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("Could not delete {}", path, e);
    }
  }
}
