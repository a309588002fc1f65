package dev.fabula.testkit.postgres;

import static dev.fabula.testkit.postgres.DataDirectories.deleteQuietly;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zonky's PostgreSQL binaries for this platform, unpacked once per archive content below a base
 * directory and readable by every user, so that an unprivileged user can run them. Thread-safe,
 * also across JVMs sharing the base directory.
 */
final class PostgresBinaries {

  private PostgresBinaries() {}

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);

  private static final Object EXTRACT_LOCK = new Object();

  static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS =
      PosixFilePermissions.fromString("rwxr-xr-x");

  /**
   * Unpacks zonky's PostgreSQL archive for this platform once per archive content; later calls
   * (also from other JVMs) reuse the directory.
   */
  static Path extractBinaries(Path base) throws IOException {
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
}
