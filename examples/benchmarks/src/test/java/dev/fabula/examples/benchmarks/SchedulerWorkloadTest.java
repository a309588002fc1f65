package dev.fabula.examples.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.testkit.postgres.PostgresExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the scheduler workload small, so that it keeps working and its figures keep meaning what
 * they say: every job ran once and ended succeeded, in both loops, and every pickup was seen (the
 * workload itself fails the run otherwise, and bounds every wait).
 * {@code -Dfabula.bench.jobs=20000} gives the reference figures (printed to the test output).
 */
class SchedulerWorkloadTest {
  @RegisterExtension
  static PostgresExtension postgres = new PostgresExtension();

  private static final int JOBS = Integer.getInteger("fabula.bench.jobs", 2_000);
  private static final int SAMPLES = Integer.getInteger("fabula.bench.samples", 50);
  /** Per phase; a small run takes seconds, so this is only a bound on a lost job. */
  private static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("fabula.bench.timeout.seconds", 120));

  @Test
  void the_workload_runs_every_job_once_and_sees_every_pickup_on_postgresql() throws Exception {
    SchedulerWorkload.Figures f = SchedulerWorkload.run(postgres.database().jdbcUrlWithCredentials(), JOBS, 8, SAMPLES, TIMEOUT);
    System.out.println(f);
    assertCountedAllTheWork(f);
  }

  @Test
  void the_workload_runs_every_job_once_and_sees_every_pickup_on_sqlite(@TempDir Path dir) throws Exception {
    SchedulerWorkload.Figures f = SchedulerWorkload.run("jdbc:sqlite:" + dir.resolve("bench.db"), JOBS, 8, SAMPLES, TIMEOUT);
    System.out.println(f);
    assertCountedAllTheWork(f);
  }

  private static void assertCountedAllTheWork(SchedulerWorkload.Figures f) {
    assertThat(f.jobsRun()).as("distinct jobs the scheduler ran").isEqualTo(JOBS);
    assertThat(f.jobsSucceeded()).as("jobs recorded as succeeded").isEqualTo(JOBS);
    assertThat(f.rawJobsDone()).as("jobs the raw loop completed").isEqualTo(JOBS);
    assertThat(f.simpleRawJobsDone()).as("jobs the simple raw loop completed").isEqualTo(JOBS);
    assertThat(f.pickupsSeen()).as("pickups seen").isEqualTo(SAMPLES);
    assertThat(f.jobsPerSecond()).isFinite().isPositive();
    assertThat(f.rawJobsPerSecond()).isFinite().isPositive();
    assertThat(f.simpleRawJobsPerSecond()).isFinite().isPositive();
    // Timings on a shared machine are not judged here; a pickup not seen within 10 s fails the run.
    assertThat(f.pickupP50Ms()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(f.pickupP99Ms());
    assertThat(f.results("pg")).extracting(Result::name)
        .containsExactly("pg.scheduler.t8.jobs_per_s", "pg.scheduler.simple_raw.t8.jobs_per_s",
            "pg.scheduler.t8.jobs_per_s.vs_simple_raw", "pg.scheduler.pickup.p50_ms", "pg.scheduler.pickup.p99_ms");
  }
}
