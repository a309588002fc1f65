package dev.fabula.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogRemovalsContract} on one SQLite file opened by two stores. */
class LogRemovalsSqliteTest extends LogRemovalsContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("store.db");
  }
}
