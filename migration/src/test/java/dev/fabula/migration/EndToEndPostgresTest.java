package dev.fabula.migration;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end scenario on PostgreSQL. */
class EndToEndPostgresTest extends EndToEndContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }

  /**
   * 10,000 rows by default (20 batches of 500: the kill lands after the 10th); -Plarge runs
   * 100,000, which took 176 s here. Nothing in the backfill, the capture or the parity check
   * depends on the table's size beyond its batches.
   */
  @Test
  void backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill() throws Exception {
    backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill(10_000);
  }

  @Test
  @Tag("large")
  void the_same_with_100_000_rows() throws Exception {
    backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill(100_000);
  }
}
