package dev.fabula.scheduler;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Two pools with skewed clocks on one SQLite file (as two processes on one host would share it). */
class ClockSkewSqliteTest extends ClockSkewContract {
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
