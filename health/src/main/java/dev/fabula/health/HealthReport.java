package dev.fabula.health;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The checks of one look at the system and their overall status: the worst of them, {@link
 * Status#DISABLED} checks not counting ({@link Status#UP} when nothing counts). Immutable.
 *
 * @param status the overall status
 * @param checks every check, in the order the indicators were given
 * @param checkedAt when the look began
 */
public record HealthReport(Status status, List<HealthCheck> checks, Instant checkedAt) {

  /** Copies the checks. */
  public HealthReport {
    checks = List.copyOf(checks);
  }

  /** A report of {@code checks}, its status the worst of theirs. */
  public static HealthReport of(List<HealthCheck> checks, Instant checkedAt) {
    Status overall = Status.DISABLED;
    for (HealthCheck c : checks) {
      overall = overall.worse(c.status());
    }
    return new HealthReport(overall == Status.DISABLED ? Status.UP : overall, checks, checkedAt);
  }

  /**
   * Whether nothing is {@link Status#DOWN}: what a probe answers with (HTTP 200 when true, 503
   * when false). A degraded system still serves.
   */
  public boolean healthy() {
    return status != Status.DOWN;
  }

  /** The check named {@code name}, if the report has it. */
  public Optional<HealthCheck> check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
