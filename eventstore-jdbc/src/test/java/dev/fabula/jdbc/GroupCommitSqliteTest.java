package dev.fabula.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The GroupCommitContract on SQLite (one group at a time: one writer). */
class GroupCommitSqliteTest extends GroupCommitContract {
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

  @Override
  protected int leaders() {
    return 1;
  }

  @Override
  protected void rejectEventType(String prefix, String type) throws Exception {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TRIGGER " + prefix + "reject_" + type + " BEFORE INSERT ON " + prefix + "events "
          + "WHEN NEW.event_type = '" + type + "' BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END");
    }
  }
}
