package dev.fabula.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The AggregateInDoubtContract on SQLite. */
class AggregateInDoubtSqliteTest extends AggregateInDoubtContract {
  @TempDir static Path dir;

  @Override
  protected DataSource dataSource() {
    SQLiteConfig settings = new SQLiteConfig();
    settings.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
    settings.setBusyTimeout(10_000);
    SQLiteDataSource dataSource = new SQLiteDataSource(settings);
    dataSource.setUrl("jdbc:sqlite:" + dir.resolve("store.db"));
    return dataSource;
  }
}
