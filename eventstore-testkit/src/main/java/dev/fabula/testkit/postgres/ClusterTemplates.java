package dev.fabula.testkit.postgres;

import static dev.fabula.testkit.postgres.DataDirectories.deleteQuietly;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fresh data directories for embedded servers, copied from a template that {@code initdb} made
 * once per set of binaries, instead of an {@code initdb} per server: a copy takes a tenth of the
 * time, and every test JVM of a build starts a server. The template lives below the base
 * directory of {@link PostgresBinaries} ({@code template-<binaries>/data}) and is shared by all
 * JVMs; a copy gets a lock file as {@link UnprivilegedPostgres}'s data directories do, so that
 * {@link DataDirectories#removeStaleFiles} removes the copies of JVMs that died. Thread-safe, also
 * across JVMs.
 */
final class ClusterTemplates {

  private ClusterTemplates() {}

  private static final Logger LOG = LoggerFactory.getLogger(ClusterTemplates.class);

  private static final Object LOCK = new Object();

  /** A copy of the template, locked by this JVM; {@link #close()} deletes it. */
  static final class Copy implements AutoCloseable {
    private final Path data;
    private final Path lockFile;
    private final FileChannel lockChannel;

    private Copy(Path data, Path lockFile, FileChannel lockChannel) {
      this.data = data;
      this.lockFile = lockFile;
      this.lockChannel = lockChannel;
    }

    /** The data directory, ready for {@code postgres -D}. */
    Path data() {
      return data;
    }

    @Override
    public void close() {
      deleteQuietly(data);
      try {
        lockChannel.close();
      } catch (IOException e) {
        LOG.debug("Could not close {}", lockFile, e);
      }
      deleteQuietly(lockFile);
      DataDirectories.released(lockFile);
    }
  }

  /**
   * Returns a new data directory below {@code base}, copied from the template of {@code
   * binaries} (made first if needed by {@code initdb -A trust -U postgres -E UTF-8}, run with the
   * {@code runAs} prefix). The JVM's user owns the copy: run the server with the same prefix.
   *
   * @throws IOException if the template cannot be made or copied
   */
  static Copy copy(Path base, Path binaries, List<String> runAs) throws IOException {
    Path template = template(base, binaries, runAs);
    DataDirectories.removeStaleFiles(base);
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
    Path data = base.resolve(lockFile.getFileName().toString().replace(".lock", ""));
    Copy copy = new Copy(data, lockFile, lockChannel);
    try {
      lockChannel.lock();
      copyTree(template, data);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      return copy;
    } catch (IOException | RuntimeException e) {
      copy.close();
      throw e;
    }
  }

  /** Returns the template's data directory, running {@code initdb} for it the first time. */
  private static Path template(Path base, Path binaries, List<String> runAs) throws IOException {
    Path root = base.resolve("template-" + binaries.getFileName());
    Path data = root.resolve("data");
    if (Files.isRegularFile(root.resolve(".complete"))) {
      return data;
    }
    synchronized (LOCK) {
      if (Files.isRegularFile(root.resolve(".complete"))) {
        return data;
      }
      long started = System.nanoTime();
      // Not "extract-": removeStaleFiles deletes those, and initdb may take over a minute on a
      // starved machine.
      Path temporary = Files.createTempDirectory(base, "template-new-");
      try {
        Path temporaryData = temporary.resolve("data");
        List<String> initdb = new ArrayList<>(runAs);
        initdb.addAll(List.of(binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres",
            "-D", temporaryData.toString(), "-E", "UTF-8", "--no-sync"));
        Commands.run(initdb, base);
        Files.createFile(temporary.resolve(".complete"));
        try {
          Files.move(temporary, root, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
          // Another JVM was faster; use its template.
        }
      } finally {
        deleteQuietly(temporary);
      }
      LOG.debug("Made the PostgreSQL data directory template {} in {} ms", root,
          (System.nanoTime() - started) / 1_000_000);
      return data;
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }
}
