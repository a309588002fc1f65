package dev.fabula.projections;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A frozen lease holder on SQLite (two processes share one file). */
class ProjectionFencingSqliteTest extends ProjectionFencingContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("fencing.db");
  }

  /** No server: a frozen writer keeps the file's write lock until it resumes. */
  @Override
  protected boolean databaseEndsFrozenTransactions() {
    return false;
  }

  /**
   * What SQLite does with a frozen writer (no takeover while frozen, exactly once after it
   * resumes): proved by waiting out a lease, so it runs with the torture profile only.
   */
  @Tag("torture")
  @Test
  @Override
  void a_frozen_transactional_holder_cannot_block_the_takeover_and_nothing_is_applied_twice() throws Exception {
    super.a_frozen_transactional_holder_cannot_block_the_takeover_and_nothing_is_applied_twice();
  }
}
