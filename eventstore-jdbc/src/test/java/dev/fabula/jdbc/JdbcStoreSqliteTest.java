package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.RecordedEvent;
import dev.fabula.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC backend on SQLite. */
class JdbcStoreSqliteTest extends JdbcStoreContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore open(EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"), config, jdbc);
  }

  @Override
  protected javax.sql.DataSource plainDataSource() {
    org.sqlite.SQLiteConfig settings = new org.sqlite.SQLiteConfig();
    settings.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
    settings.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
    settings.setBusyTimeout(10_000);
    org.sqlite.SQLiteDataSource dataSource = new org.sqlite.SQLiteDataSource(settings);
    dataSource.setUrl("jdbc:sqlite:" + dir.resolve("store.db"));
    return dataSource;
  }

  @Override
  protected java.util.Map<String, Integer> migrate(JdbcConfig jdbc) {
    return JdbcEventStore.migrate("jdbc:sqlite:" + dir.resolve("store.db"), jdbc); // the URL overload
  }

  @Test
  void the_service_loader_path_and_the_two_argument_open_use_the_default_tables() {
    String url = "jdbc:sqlite:" + dir.resolve("defaults.db");
    JdbcEventStore.migrate(url, JdbcConfig.DEFAULT);
    try (EventStore found = EventStore.open(url, EventStoreConfig.DEFAULT);
        JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT)) {
      found.append("a-1", ExpectedVersion.noStream(), List.of(EventData.json("x", 1, found.types().mapper().createObjectNode())));

      assertThat(store.jdbcConfig()).isEqualTo(JdbcConfig.DEFAULT);
      assertThat(store.readStream("a-1")).hasSize(1);
      int tables = store.jdbi().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'fabula_events'").mapTo(Integer.class).one());
      assertThat(tables).isEqualTo(1);
    }
  }

  @Test
  void commits_are_fully_synchronous_unless_the_url_chooses_otherwise() {
    try (JdbcEventStore durable = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("durable.db"), EventStoreConfig.DEFAULT, TestStores.MIGRATING);
        JdbcEventStore relaxed = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("relaxed.db") + "?synchronous=NORMAL",
            EventStoreConfig.DEFAULT, TestStores.MIGRATING)) {
      assertThat(pragma(durable, "synchronous")).isEqualTo("2"); // FULL
      assertThat(pragma(relaxed, "synchronous")).isEqualTo("1"); // NORMAL
      assertThat(pragma(relaxed, "journal_mode")).isEqualTo("wal");
      relaxed.append("order-1", ExpectedVersion.noStream(), List.of(EventData.json("placed", 1,
          relaxed.types().mapper().createObjectNode())));
      assertThat(relaxed.readStream("order-1")).hasSize(1);
    }
  }

  @Test
  void a_data_source_of_the_callers_must_be_set_up_like_the_stores_own_pool() {
    org.sqlite.SQLiteDataSource plain = new org.sqlite.SQLiteDataSource();
    plain.setUrl("jdbc:sqlite:" + dir.resolve("plain.db"));
    assertThatThrownBy(() -> JdbcEventStore.open(plain, EventStoreConfig.DEFAULT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("transaction_mode=IMMEDIATE").hasMessageContaining("journal_mode=WAL");

    org.sqlite.SQLiteConfig settings = new org.sqlite.SQLiteConfig();
    settings.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
    settings.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
    settings.setBusyTimeout(10_000);
    org.sqlite.SQLiteDataSource configured = new org.sqlite.SQLiteDataSource(settings);
    configured.setUrl("jdbc:sqlite:" + dir.resolve("configured.db"));
    try (JdbcEventStore store = JdbcEventStore.open(configured, EventStoreConfig.DEFAULT, TestStores.MIGRATING)) {
      store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.json("placed", 1, store.types().mapper().createObjectNode())));
      assertThat(store.readStream("order-1")).hasSize(1);
    }
  }

  private static String pragma(JdbcEventStore store, String name) {
    return store.jdbi().withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
  }

  /**
   * This process and a child append 300 events each to their own stream of one file. Each stops
   * halfway until the other's stream is halfway too, so each one's appends start before the other
   * finishes; the second halves run at once, both processes contending for the file's write lock.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // child processes
  void several_processes_append_to_one_file_without_losing_or_duplicating_events() throws Exception {
    String prefix = dev.fabula.testkit.contract.StoreContractSupport.uniqueTablePrefix();
    String url = "jdbc:sqlite:" + dir.resolve("shared.db");
    int n = 300;
    JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, TestStores.migrating(prefix));
    Path output = Files.createTempFile(dir, "appender", ".log");
    Process other = new ProcessBuilder(ChildJvm.command(SqliteAppenderProcess.class, url, prefix, "other-1",
        Integer.toString(n), "this-1"))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      SqliteAppenderProcess.appendWithHalfwayMeeting(store, "this-1", n, "other-1", other::isAlive);

      assertThat(other.waitFor(120, TimeUnit.SECONDS)).as("the other process finished").isTrue();
      assertThat(other.exitValue()).as("the other process's exit code; its output: %s", Files.readString(output)).isZero();
      List<RecordedEvent> mine = store.readStream("this-1");
      List<RecordedEvent> theirs = store.readStream("other-1");
      assertThat(mine).hasSize(n);
      assertThat(theirs).hasSize(n);
      try (var log = store.readAll(dev.fabula.LogQuery.all())) {
        List<Long> positions = log.map(e -> e.position()).toList();
        assertThat(positions).hasSize(2 * n).doesNotHaveDuplicates().isSorted();
      }
      // The appends overlapped: each process's second half comes after the other's first half.
      assertThat(mine.get(n / 2).position()).isGreaterThan(theirs.get(n / 2 - 1).position());
      assertThat(theirs.get(n / 2).position()).isGreaterThan(mine.get(n / 2 - 1).position());
      assertThat(theirs.get(0).position()).as("the other process began before this one ended").isLessThan(mine.get(n - 1).position());
      assertThat(mine.get(0).position()).as("this process began before the other ended").isLessThan(theirs.get(n - 1).position());
    } finally {
      other.destroyForcibly();
      other.waitFor(10, TimeUnit.SECONDS);
      store.close();
    }
  }

  @Test
  void refuses_an_in_memory_url_with_advice() {
    assertThatThrownBy(() -> JdbcEventStore.open("jdbc:sqlite::memory:", EventStoreConfig.DEFAULT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("EventStore.inMemory");
  }

  @Test
  void creates_the_folder_of_the_database_file() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("a/b/c.db"), EventStoreConfig.DEFAULT, TestStores.MIGRATING)) {
      store.append("a-1", ExpectedVersion.noStream(), List.of(EventData.json("x", 1, store.types().mapper().createObjectNode())));
    }
    assertThat(dir.resolve("a/b/c.db")).exists();
  }

  @Test
  void refuses_a_store_append_nested_inside_a_unit_of_work_instead_of_waiting_for_itself() {
    JdbcEventStore store = store(dev.fabula.testkit.contract.StoreContractSupport.uniqueTablePrefix());
    assertThatThrownBy(() -> store.inTransaction(tx -> store.append("a-1", ExpectedVersion.any(),
            List.of(EventData.json("x", 1, store.types().mapper().createObjectNode())))))
        .isInstanceOf(EventStoreException.class)
        .hasMessageContaining("append through the Transaction");
  }
}
