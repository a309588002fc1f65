package dev.fabula.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.InvalidInputException;
import dev.fabula.projections.InFlightTransaction;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.ProjectionStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What the projection gauges derive from a status: lag in seconds while following the log, rebuild
 * progress (not lag) while rebuilding; and what the configuration accepts. No database needed.
 */
class LagDefinitionTest {
  private static final Duration YEAR = Duration.ofDays(365);

  private static ProjectionStatus status(
      ProjectionState state, long checkpoint, long head, Duration lag, @Nullable InFlightTransaction blockedBy) {
    return new ProjectionStatus(ProjectionId.of("order-list", 1), state, checkpoint, head, head - checkpoint, lag,
        "runner-1", null, null, null, 0, null, blockedBy, Instant.now());
  }

  @Test
  void a_projection_following_the_log_reports_the_age_of_its_oldest_pending_event() {
    assertThat(ProjectionMetrics.lagSeconds(status(ProjectionState.CATCHING_UP, 10, 20, Duration.ofMillis(1500), null)))
        .isEqualTo(1.5);
    assertThat(ProjectionMetrics.lagSeconds(status(ProjectionState.RUNNING, 20, 20, Duration.ZERO, null))).isZero();
    assertThat(ProjectionMetrics.rebuildProgress(status(ProjectionState.RUNNING, 20, 20, Duration.ZERO, null))).isNaN();
  }

  @Test
  void a_rebuild_reports_progress_not_a_year_of_lag() {
    ProjectionStatus rebuilding = status(ProjectionState.REBUILDING, 250, 1000, YEAR, null);

    assertThat(ProjectionMetrics.lagSeconds(rebuilding)).isNaN();
    assertThat(ProjectionMetrics.rebuildProgress(rebuilding)).isEqualTo(0.25);
    assertThat(ProjectionMetrics.rebuildProgress(status(ProjectionState.REBUILDING, 0, 0, Duration.ZERO, null))).isEqualTo(1);
  }

  @Test
  void the_transaction_holding_the_log_back_is_reported_by_its_age() {
    InFlightTransaction open = new InFlightTransaction(42, 7, Instant.now().minusSeconds(30), null, "idle in transaction");

    assertThat(ProjectionMetrics.heldBackSeconds(status(ProjectionState.RUNNING, 6, 6, Duration.ZERO, open)))
        .isBetween(30.0, 60.0);
    assertThat(ProjectionMetrics.heldBackSeconds(status(ProjectionState.RUNNING, 6, 6, Duration.ZERO, null))).isZero();
  }

  @Test
  void the_configuration_rejects_bad_values_and_quotes_them() {
    assertThatThrownBy(() -> MetricsConfig.DEFAULT.withPercentiles(List.of(0.5, 1.5)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("1.5");
    assertThatThrownBy(() -> MetricsConfig.DEFAULT.withPollInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("PT-1S");
    assertThat(MetricsConfig.DEFAULT.withPercentiles(List.of(0.5, 0.99)).percentileArray()).containsExactly(0.5, 0.99);
  }

  /**
   * fabula-projections and fabula-scheduler are optional dependencies: the store's meters and
   * everything they load must not name either module, or an application with only one of them (or
   * neither) would fail with NoClassDefFoundError.
   */
  @Test
  void the_store_meters_load_without_projections_or_the_scheduler() throws IOException {
    for (Class<?> c : List.of(StoreMetrics.class, MetricsConfig.class, dev.fabula.metrics.internal.Registered.class,
        dev.fabula.metrics.internal.Polled.class)) {
      String constants;
      try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
        constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
      assertThat(constants).as(c.getName()).doesNotContain("dev/fabula/projections", "dev/fabula/scheduler");
    }
  }
}
