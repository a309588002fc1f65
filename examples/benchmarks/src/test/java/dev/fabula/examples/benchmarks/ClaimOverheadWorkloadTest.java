package dev.fabula.examples.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the claim-overhead workload small, so that it keeps working: every round's jobs ran once and
 * succeeded in each mode (the workload fails the run otherwise), and every figure is there. The
 * figures themselves are not judged: the machine is shared.
 */
class ClaimOverheadWorkloadTest {
  @Test
  void each_mode_runs_every_job_of_its_rounds_and_every_figure_is_reported(@TempDir Path dir) throws Exception {
    List<Result> results = ClaimOverheadWorkload.run("jdbc:sqlite:" + dir.resolve("claim.db"), "sqlite", 100, 4, 1, 2_000, 1);

    assertThat(results).extracting(Result::name).containsExactly(
        "sqlite.claim.t4.plain.jobs_per_s", "sqlite.claim.t4.plain.jobs_per_s.cpu_us_per_op",
        "sqlite.claim.t4.control.jobs_per_s", "sqlite.claim.t4.control.jobs_per_s.cpu_us_per_op",
        "sqlite.claim.t4.metrics.jobs_per_s", "sqlite.claim.t4.metrics.jobs_per_s.cpu_us_per_op",
        "sqlite.claim.t4.tracing.jobs_per_s", "sqlite.claim.t4.tracing.jobs_per_s.cpu_us_per_op",
        "sqlite.claim.t4.tracing_all.jobs_per_s", "sqlite.claim.t4.tracing_all.jobs_per_s.cpu_us_per_op",
        "sqlite.control.claim_t4.overhead_pct", "sqlite.control.claim_t4.overhead_spread_pct",
        "sqlite.control.claim_t4.cpu_overhead_pct", "sqlite.control.claim_t4.cpu_overhead_spread_pct",
        "sqlite.metrics.claim_t4.overhead_pct", "sqlite.metrics.claim_t4.overhead_spread_pct",
        "sqlite.metrics.claim_t4.cpu_overhead_pct", "sqlite.metrics.claim_t4.cpu_overhead_spread_pct",
        "sqlite.tracing.claim_t4.overhead_pct", "sqlite.tracing.claim_t4.overhead_spread_pct",
        "sqlite.tracing.claim_t4.cpu_overhead_pct", "sqlite.tracing.claim_t4.cpu_overhead_spread_pct",
        "sqlite.tracing_all_sampled.claim_t4.overhead_pct", "sqlite.tracing_all_sampled.claim_t4.overhead_spread_pct",
        "sqlite.tracing_all_sampled.claim_t4.cpu_overhead_pct", "sqlite.tracing_all_sampled.claim_t4.cpu_overhead_spread_pct",
        "sqlite.metrics.job_observer.ns_per_job", "sqlite.metrics.job_observer.cpu_ns_per_job",
        "sqlite.metrics.job_observer.bytes_per_job", "sqlite.metrics.job_observer.share_of_job_cpu_pct",
        "sqlite.tracing.job_observer.ns_per_job", "sqlite.tracing.job_observer.cpu_ns_per_job",
        "sqlite.tracing.job_observer.bytes_per_job", "sqlite.tracing.job_observer.share_of_job_cpu_pct");
    assertThat(results.subList(0, 10)).allSatisfy(r -> assertThat(r.value()).isFinite().isPositive());
  }

  @Test
  void the_stand_in_queue_hands_over_the_observer_each_module_registers() {
    assertThat(ClaimOverheadWorkload.observer(q -> dev.fabula.metrics.SchedulerMetrics.of(q)
        .bindTo(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()))).isNotNull();
    assertThat(ClaimOverheadWorkload.observer(q -> dev.fabula.tracing.JobTracing.of(q, OpenTelemetry.noop()))).isNotNull();
  }
}
