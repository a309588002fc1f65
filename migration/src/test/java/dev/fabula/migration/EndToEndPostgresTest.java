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

  /** 30,000 rows by default: 100,000 took 176 s here, over the module's time budget; -Plarge runs those. */
  @Test
  void backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill() throws Exception {
    backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill(30_000);
  }

  @Test
  @Tag("large")
  void the_same_with_100_000_rows() throws Exception {
    backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill(100_000);
  }
}
