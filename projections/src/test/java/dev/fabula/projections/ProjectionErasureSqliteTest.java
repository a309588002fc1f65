package dev.fabula.projections;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The projection erasure contract on SQLite. */
class ProjectionErasureSqliteTest extends ProjectionErasureContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("erasure.db");
  }
}
