package dev.fabula.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Housekeeping of the base directory of {@link UnprivilegedPostgres}: removes the data directories,
 * logs and postmasters left behind by a JVM that died without running its shutdown hook (their lock
 * file can be taken), half-finished extractions, and deletes files quietly. Thread-safe.
 */
final class DataDirectories {

  private DataDirectories() {}

  private static final Logger LOG = LoggerFactory.getLogger(DataDirectories.class);

  private static final Duration STALE_AGE = Duration.ofMinutes(1);

  /**
   * The lock files this JVM holds. Clean-up never opens them: on Linux, closing any channel of a
   * file releases the process's locks on it, so a second channel opened here to test the lock
   * would free a live server's directory for another JVM to take as a leftover (and stop its
   * postmaster).
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  /** Records that this JVM holds {@code lockFile}'s lock (call before taking it). */
  static void held(Path lockFile) {
    HELD.add(lockFile.toAbsolutePath().normalize());
  }

  /** Records that this JVM no longer holds {@code lockFile}'s lock. */
  static void released(Path lockFile) {
    HELD.remove(lockFile.toAbsolutePath().normalize());
  }

  /**
   * Removes data directories whose owning JVM has died (their lock can be taken), stopping any
   * postmaster still running in them, and half-finished extractions.
   */
  static void removeStaleFiles(Path base) {
    Instant staleBefore = Instant.now().minus(STALE_AGE);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (Files.getLastModifiedTime(entry).toInstant().isAfter(staleBefore)) {
          continue;
        }
        if (name.startsWith("extract-")) {
          deleteQuietly(entry);
        } else if (name.startsWith("data-") && name.endsWith(".lock") && !HELD.contains(entry.toAbsolutePath().normalize())) {
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

  static void deleteQuietly(Path path) {
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
