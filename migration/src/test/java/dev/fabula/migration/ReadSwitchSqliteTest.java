package dev.fabula.migration;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The read switch on SQLite. */
class ReadSwitchSqliteTest extends ReadSwitchContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("switch.db");
  }
}
