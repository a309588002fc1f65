package dev.fabula.projections;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The projection errors contract on SQLite. */
class ProjectionErrorsSqliteTest extends ProjectionErrorsContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("errors.db");
  }
}
