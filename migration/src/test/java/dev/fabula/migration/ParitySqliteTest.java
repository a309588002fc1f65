package dev.fabula.migration;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The parity check on SQLite. */
class ParitySqliteTest extends ParityContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("parity.db");
  }
}
