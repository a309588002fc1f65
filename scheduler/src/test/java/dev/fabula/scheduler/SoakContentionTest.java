package dev.fabula.scheduler;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;

/** The 20,000-job contention run, repeated; {@code -Psoak} only. */
@Tag("soak")
class SoakContentionTest extends PostgresContentionTest {

  @RepeatedTest(5)
  void draining_20000_jobs_holds_time_after_time() throws Exception {
    drain(20_000);
  }
}
