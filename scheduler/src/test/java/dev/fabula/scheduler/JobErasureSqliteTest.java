package dev.fabula.scheduler;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The job erasure contract on SQLite, a file per test. */
class JobErasureSqliteTest extends JobErasureContract {
  @TempDir
  Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("jobs.db");
  }

  @Override
  protected String tablePrefix() {
    return "fabula_";
  }
}
