package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventStoreConfig;
import dev.fabula.StoreUnavailableException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.internal.SqliteDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What docs/sqlite.md says about several processes on one file, on a real file. */
class SqliteGuideTest {
  @TempDir Path dir;

  @Test
  void opening_a_store_waits_for_another_writer_up_to_the_busy_timeout() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("app.db");
    JdbcEventStore.open(url, EventStoreConfig.DEFAULT, TestTables.MIGRATING).close(); // the tables exist: nothing left to migrate

    try (Connection otherProcess = DriverManager.getConnection(url); Statement s = otherProcess.createStatement()) {
      s.execute("BEGIN IMMEDIATE"); // another writer holds the file's write lock
      long started = System.nanoTime();

      assertThatThrownBy(() -> JdbcEventStore.open(url, EventStoreConfig.DEFAULT, TestTables.MIGRATING))
          .isInstanceOf(StoreUnavailableException.class);

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(SqliteDialect.BUSY_TIMEOUT_MS).minusMillis(500));
      s.execute("ROLLBACK");
    }
    JdbcEventStore.open(url, EventStoreConfig.DEFAULT, TestTables.MIGRATING).close(); // once it is done, opening goes through
  }

  @Test
  void synchronous_normal_is_chosen_in_the_url_or_on_a_data_source_of_ones_own() {
    String url = "jdbc:sqlite:" + dir.resolve("relaxed.db");
    try (JdbcEventStore byUrl = JdbcEventStore.open(url + "?synchronous=NORMAL", EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      assertThat(synchronous(byUrl)).isEqualTo(1); // NORMAL
    }

    org.sqlite.SQLiteConfig settings = new org.sqlite.SQLiteConfig();
    settings.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
    settings.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
    settings.setBusyTimeout(10_000);
    settings.enforceForeignKeys(true);
    settings.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.NORMAL);
    org.sqlite.SQLiteDataSource own = new org.sqlite.SQLiteDataSource(settings);
    own.setUrl(url);
    try (JdbcEventStore byDataSource = JdbcEventStore.open(own, EventStoreConfig.DEFAULT)) {
      assertThat(synchronous(byDataSource)).isEqualTo(1);
    }
    try (JdbcEventStore byDefault = JdbcEventStore.open(url, EventStoreConfig.DEFAULT)) {
      assertThat(synchronous(byDefault)).isEqualTo(2); // FULL unless chosen
    }
  }

  private static int synchronous(JdbcEventStore store) {
    return store.jdbi().withHandle(h -> h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one());
  }
}
