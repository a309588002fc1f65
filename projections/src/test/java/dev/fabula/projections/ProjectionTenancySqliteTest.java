package dev.fabula.projections;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The projection tenancy contract on SQLite. */
class ProjectionTenancySqliteTest extends ProjectionTenancyContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("tenancy.db");
  }
}
