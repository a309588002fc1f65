package dev.fabula.migration;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The importer on SQLite. */
class ImporterSqliteTest extends ImporterContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("migration.db");
  }
}
