package dev.fabula.projections;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A frozen lease holder on SQLite (two processes share one file). */
class ProjectionFencingSqliteTest extends ProjectionFencingContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("fencing.db");
  }

  /** Tries to begin a write transaction without waiting: SQLITE_BUSY means another process holds the lock. */
  @Override
  protected boolean writeLockedByAnotherProcess() {
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 0");
      s.execute("BEGIN IMMEDIATE");
      s.execute("ROLLBACK");
      return false;
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("SQLITE_BUSY")) {
        return true;
      }
      throw new AssertionError("could not test the write lock of " + url(), e);
    }
  }

  /** No server: a frozen writer keeps the file's write lock until it resumes. */
  @Override
  protected boolean databaseEndsFrozenTransactions() {
    return false;
  }

  /**
   * What SQLite does with a frozen writer (no takeover while frozen, exactly once after it
   * resumes): proved by waiting out a lease, so it runs with the torture profile only.
   */
  @Tag("torture")
  @Test
  @Override
  void a_frozen_transactional_holder_cannot_block_the_takeover_and_nothing_is_applied_twice() throws Exception {
    super.a_frozen_transactional_holder_cannot_block_the_takeover_and_nothing_is_applied_twice();
  }
}
