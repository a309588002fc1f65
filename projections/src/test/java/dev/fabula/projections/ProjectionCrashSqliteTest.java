package dev.fabula.projections;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Torture, crash and takeover on SQLite (two processes share one file). */
class ProjectionCrashSqliteTest extends ProjectionCrashContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("crash.db");
  }

  /** One writer at a time: the writers' sleeps add up, so fewer transactions keep it to seconds. */
  @Override
  protected int tortureTransactionsPerWriter() {
    return 20;
  }

  /**
   * Never: positions are given out under SQLite's single writer lock, held until commit, so an
   * out-of-order commit cannot occur here; the torture run checks that it did not.
   */
  @Override
  protected boolean commitsCanOvertake() {
    return false;
  }
}
