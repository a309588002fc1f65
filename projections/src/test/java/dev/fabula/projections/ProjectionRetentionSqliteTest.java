package dev.fabula.projections;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProjectionRetentionContract} on SQLite: one file per class, one table prefix per test. */
class ProjectionRetentionSqliteTest extends ProjectionRetentionContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("projections.db");
  }
}
