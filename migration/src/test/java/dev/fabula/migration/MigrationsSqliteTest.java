package dev.fabula.migration;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Migrations on SQLite. */
class MigrationsSqliteTest extends MigrationsContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("migration.db");
  }
}
