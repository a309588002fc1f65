package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.scheduler.bench.SchedulerBenchmark;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the benchmark workload small, so that it keeps working; {@code -Dfabula.bench.jobs=20000}
 * gives the reference figures (printed to the test output).
 */
class SchedulerBenchmarkTest {
  @RegisterExtension
  static PostgresExtension postgres = new PostgresExtension();

  private static final int JOBS = Integer.getInteger("fabula.bench.jobs", 2_000);
  private static final int SAMPLES = Integer.getInteger("fabula.bench.samples", 50);

  @Test
  void the_workload_runs_on_postgresql() throws Exception {
    SchedulerBenchmark.Figures f = SchedulerBenchmark.run(PostgresUrls.url(postgres.database()), JOBS, 8, SAMPLES);
    System.out.println(f);
    assertThat(f.jobsPerSecond()).isPositive();
    assertThat(f.rawJobsPerSecond()).isPositive();
    assertThat(f.pickupP99Ms()).isLessThan(5_000);
  }

  @Test
  void the_workload_runs_on_sqlite(@TempDir Path dir) throws Exception {
    SchedulerBenchmark.Figures f = SchedulerBenchmark.run("jdbc:sqlite:" + dir.resolve("bench.db"), JOBS, 8, SAMPLES);
    System.out.println(f);
    assertThat(f.jobsPerSecond()).isPositive();
    assertThat(f.rawJobsPerSecond()).isPositive();
  }
}
