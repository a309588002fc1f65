package dev.fabula.migration;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Migration erasure on SQLite. */
class MigrationErasureSqliteTest extends MigrationErasureContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("erasure.db");
  }
}
