package dev.fabula.projections;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Segmented projections on SQLite. */
class ProjectionSegmentsSqliteTest extends ProjectionSegmentsContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("segments.db");
  }
}
