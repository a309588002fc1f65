package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.StoreUnavailableException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A SQLite store opened read-only, by its URL or because the file is read-only on disk: reads work,
 * appends fail with a message that says why and what to do, and nothing is written.
 */
class SqliteReadOnlyFileTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"jdbc:sqlite:%s?open_mode=1", "jdbc:sqlite:file:%s?mode=ro"})
  void a_read_only_url_opens_the_store_for_reading_and_refuses_appends(String form) {
    Path file = seeded();
    String url = String.format(form, file);

    try (EventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT)) {
      assertThat(store.readStream("order-1")).hasSize(2);
      assertThat(store.headPosition()).isEqualTo(2);
      try (Stream<?> all = store.readAll(LogQuery.all())) {
        assertThat(all).hasSize(2);
      }

      assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.exactly(2), event(3)))
          .isExactlyInstanceOf(EventStoreException.class)
          .hasMessageContaining("opened read-only")
          .hasMessageContaining(url.substring(url.indexOf('?') + 1) + " in its URL")
          .hasMessageContaining("nothing was written");
    }
    assertUnchanged(file);
  }

  @Test
  void a_read_only_url_that_asks_to_migrate_says_it_cannot_write() {
    Path file = seeded();

    assertThatThrownBy(() -> JdbcEventStore.open("jdbc:sqlite:" + file + "?open_mode=1", EventStoreConfig.DEFAULT,
            TestStores.MIGRATING.withTablePrefix("other_")))
        .isInstanceOf(EventStoreException.class)
        .hasMessageContaining("opened read-only");
    assertUnchanged(file);
  }

  @Test
  void a_file_read_only_on_disk_reads_and_refuses_appends_until_it_is_writable_again() throws IOException {
    Path file = seeded();
    makeReadOnly(file);
    try {
      try (EventStore store = JdbcEventStore.open("jdbc:sqlite:" + file, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT)) {
        assertThat(store.readStream("order-1")).hasSize(2);

        assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.exactly(2), event(3)))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("read-only to this process")
            .hasMessageContaining("writable");
      }
    } finally {
      makeWritable(file);
    }
    assertUnchanged(file);
    try (EventStore store = JdbcEventStore.open("jdbc:sqlite:" + file, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT)) {
      store.append("order-1", ExpectedVersion.exactly(2), event(3));
      assertThat(store.readStream("order-1")).hasSize(3);
    }
  }

  // ---- Helpers

  private Path seeded() {
    Path file = dir.resolve("store.db");
    try (EventStore store = JdbcEventStore.open("jdbc:sqlite:" + file, EventStoreConfig.DEFAULT, TestStores.MIGRATING)) {
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1).get(0), event(2).get(0)));
    }
    return file;
  }

  private static void assertUnchanged(Path file) {
    try (EventStore store = JdbcEventStore.open("jdbc:sqlite:" + file, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT)) {
      assertThat(store.headPosition()).isEqualTo(2);
      assertThat(store.readStream("order-1")).hasSize(2);
    }
  }

  private static List<EventData> event(int n) {
    return List.of(EventData.json("noted", 1, JsonNodeFactory.instance.objectNode().put("n", n)));
  }

  /**
   * Takes write permission away; a process running as root writes whatever the permissions say, so
   * there the file is made immutable ({@code chattr +i}), and where that fails too the test is
   * skipped.
   */
  private static void makeReadOnly(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    if (writable(file)) {
      Assumptions.assumeTrue(chattr("+i", file), "running as root and chattr +i is not available: cannot make "
          + file + " read-only for this process");
    }
    Assumptions.assumeFalse(writable(file), "cannot make " + file + " read-only for this process");
  }

  private static void makeWritable(Path file) throws IOException {
    chattr("-i", file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
  }

  private static boolean writable(Path file) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean chattr(String flag, Path file) {
    try {
      Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
