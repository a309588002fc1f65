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

  /**
   * 8,000 rows by default (16 batches of 500: the kill lands after the 8th, with 8 left as margin
   * for a slow machine); -Plarge runs 100,000, which took 125 s here on SQLite. Nothing in the
   * backfill, the capture or the parity check depends on the table's size beyond its batches.
   */
  static final int ROWS = 8_000;
}
