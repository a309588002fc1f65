package dev.fabula.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SerializedWritersContract on one SQLite file: the transaction (BEGIN IMMEDIATE) is the file's one writer. */
class SerializedWritersSqliteTest extends SerializedWritersContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("events.db");
  }
}
