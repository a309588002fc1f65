package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.health.HealthCheck;
import dev.fabula.health.HealthReport;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One report of Fabula's {@code Health} (liveness, readiness or attention) as an Actuator
 * component: each {@link HealthCheck} is a child named as the check, its status mapped one to one
 * ({@code DEGRADED} and {@code DISABLED} are statuses of their own, which Actuator answers with
 * HTTP 200 and leaves out of the aggregate unless {@code management.endpoint.health.status.order}
 * names them), its message and figures as details.
 *
 * <p>Actuator walks the children once per request; each walk asks Fabula's {@code Health} once, so
 * the checks of one answer come from one look (Fabula asks its indicators together, each within
 * {@code fabula.health.timeout}). Thread-safe.
 */
final class FabulaHealthContributor implements CompositeHealthContributor {
  /** A check that works but needs a look: answered with HTTP 200. */
  static final Status DEGRADED = new Status("DEGRADED", "works, but needs a look");
  /** A part switched off on purpose: answered with HTTP 200, never a reason to restart. */
  static final Status DISABLED = new Status("DISABLED", "switched off on purpose");

  private final Supplier<HealthReport> report;

  FabulaHealthContributor(Supplier<HealthReport> report) {
    this.report = report;
  }

  @Override
  public @Nullable HealthContributor getContributor(String name) {
    return report.get().check(name).map(FabulaHealthContributor::indicator).orElse(null);
  }

  @Override
  public Stream<HealthContributors.Entry> stream() {
    return report.get().checks().stream().map(c -> new HealthContributors.Entry(c.name(), indicator(c)));
  }

  private static HealthIndicator indicator(HealthCheck check) {
    Health health = Health.status(status(check.status())).withDetail("message", check.message())
        .withDetails(Map.copyOf(check.details())).build();
    return () -> health;
  }

  static Status status(dev.fabula.health.Status status) {
    return switch (status) {
      case UP -> Status.UP;
      case DOWN -> Status.DOWN;
      case DEGRADED -> DEGRADED;
      case DISABLED -> DISABLED;
    };
  }
}
