package dev.fabula.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SchedulerMetricsNanosTest {
  private static final Instant T = Instant.parse("2026-12-06T10:00:00.000000500Z");

  @Test
  void counts_the_nanoseconds_between_two_instants_across_a_second_boundary() {
    assertThat(SchedulerMetrics.nonNegativeNanos(T, T.plusNanos(999_999_700))).isEqualTo(999_999_700);
    assertThat(SchedulerMetrics.nonNegativeNanos(T, T.plus(Duration.ofSeconds(3, 250)))).isEqualTo(3_000_000_250L);
  }

  @Test
  void an_end_before_the_start_counts_zero_and_a_span_of_centuries_is_capped() {
    assertThat(SchedulerMetrics.nonNegativeNanos(T, T.minusNanos(1))).isZero();
    assertThat(SchedulerMetrics.nonNegativeNanos(T, T.minusSeconds(5))).isZero();
    assertThat(SchedulerMetrics.nonNegativeNanos(Instant.EPOCH.minus(Duration.ofDays(365L * 400)), T)).isEqualTo(Long.MAX_VALUE);
  }
}
