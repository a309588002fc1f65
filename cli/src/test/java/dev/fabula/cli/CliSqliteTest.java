package dev.fabula.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The command line on SQLite. */
class CliSqliteTest extends CliContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("cli.db");
  }
}
