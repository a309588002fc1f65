package dev.fabula.examples.configservice;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The config service's story on SQLite: a fresh database file per test. */
class ConfigServiceSqliteTest extends ConfigServiceContract {

  @TempDir Path dir;

  @Override
  protected String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("config.db");
  }
}
