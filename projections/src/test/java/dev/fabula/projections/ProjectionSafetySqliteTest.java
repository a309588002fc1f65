package dev.fabula.projections;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The projection safety contract on SQLite. */
class ProjectionSafetySqliteTest extends ProjectionSafetyContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("safety.db");
  }
}
