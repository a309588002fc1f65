package dev.fabula.migration;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-to-end scenario on SQLite. */
class EndToEndSqliteTest extends EndToEndContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("e2e.db");
  }

  @Test
  void backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill() throws Exception {
    backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill(ROWS);
  }

  @Test
  @Tag("large")
  void the_same_with_100_000_rows() throws Exception {
    backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill(100_000);
  }

  /** 20,000 rows by default: 100,000 took 125 s here on SQLite, over the module's time budget. */
  static final int ROWS = 20_000;
}
