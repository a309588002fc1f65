package dev.fabula.health;

import dev.fabula.InvalidInputException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionStatus;
import dev.fabula.projections.Projections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The projections' health from {@link Projections#statuses()}, one check per projection version,
 * named {@code projection:<name> v<version>}.
 *
 * <ul>
 *   <li>{@link #of} (readiness): {@code RUNNING} or {@code CATCHING_UP} within {@link
 *       HealthConfig#maxProjectionLag()} is {@link Status#UP}; beyond it, {@link Status#DOWN} (its
 *       read model is too stale to serve); {@code REBUILDING} is {@link Status#DEGRADED} (a rebuild
 *       reports progress, not lag); {@code STOPPED} (no runner holds its lease) and {@code FAILED}
 *       (an event stopped it: the check carries the position and the error) are {@link
 *       Status#DOWN}. Projections run by another service are left out with {@code ignoring}, or
 *       reported {@link Status#DISABLED} with {@link HealthIndicator#disabled}.
 *   <li>{@link #parked} (attention): more parked events than {@link HealthConfig#maxParkedEvents()}
 *       is {@link Status#DEGRADED}.
 * </ul>
 *
 * Needs {@code fabula-projections} on the class path. Thread-safe.
 */
public final class ProjectionHealth implements HealthIndicator {
  private final Projections projections;
  private final HealthConfig config;
  private final HealthCheck.Kind kind;
  private final Set<String> ignored;

  private ProjectionHealth(Projections projections, HealthConfig config, HealthCheck.Kind kind, Set<String> ignored) {
    this.projections = projections;
    this.config = config;
    this.kind = kind;
    this.ignored = ignored;
  }

  /** Readiness: each projection running and within the lag. */
  public static ProjectionHealth of(Projections projections, HealthConfig config) {
    return create(projections, config, HealthCheck.Kind.READINESS);
  }

  /** Attention: each projection's parked events within the threshold. */
  public static ProjectionHealth parked(Projections projections, HealthConfig config) {
    return create(projections, config, HealthCheck.Kind.ATTENTION);
  }

  private static ProjectionHealth create(Projections projections, HealthConfig config, HealthCheck.Kind kind) {
    if (projections == null || config == null) {
      throw new InvalidInputException("projections and config must not be null; use HealthConfig.DEFAULT");
    }
    return new ProjectionHealth(projections, config, kind, Set.of());
  }

  /**
   * Returns a copy that leaves out the projections of these names (every version): those another
   * service runs, or old versions kept for a blue/green switch.
   */
  public ProjectionHealth ignoring(Set<String> names) {
    if (names == null) {
      throw new InvalidInputException("names must not be null; use Set.of()");
    }
    return new ProjectionHealth(projections, config, kind, Set.copyOf(names));
  }

  @Override
  public String name() {
    return kind == HealthCheck.Kind.READINESS ? "projections" : "projections.parked";
  }

  @Override
  public HealthCheck.Kind kind() {
    return kind;
  }

  @Override
  public List<HealthCheck> check() {
    List<HealthCheck> checks = new ArrayList<>();
    for (ProjectionStatus s : projections.statuses()) {
      if (!ignored.contains(s.id().name())) {
        checks.add(kind == HealthCheck.Kind.READINESS ? running(s) : parked(s));
      }
    }
    return checks;
  }

  private static String name(ProjectionId id) {
    return "projection:" + id;
  }

  private HealthCheck running(ProjectionStatus s) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("state", s.state().name());
    details.put("checkpoint", Long.toString(s.checkpoint()));
    details.put("head", Long.toString(s.head()));
    details.put("lagEvents", Long.toString(s.lagEvents()));
    details.put("lag", Health.pretty(s.lag()));
    details.put("maxLag", Health.pretty(config.maxProjectionLag()));
    Status status;
    String message;
    switch (s.state()) {
      case RUNNING, CATCHING_UP -> {
        boolean late = s.lag().compareTo(config.maxProjectionLag()) > 0;
        status = late ? Status.DOWN : Status.UP;
        message = late
            ? "behind by " + s.lagEvents() + " events, the oldest waiting " + Health.pretty(s.lag()) + ", more than "
                + Health.pretty(config.maxProjectionLag()) + " (HealthConfig.maxProjectionLag)"
            : s.caughtUp() ? "running, caught up" : "running, " + s.lagEvents() + " events behind";
      }
      case REBUILDING -> {
        status = Status.DEGRADED;
        message = "rebuilding: at position " + s.checkpoint() + " of " + s.head();
      }
      case STOPPED -> {
        status = Status.DOWN;
        message = "stopped: no runner holds its lease, so nothing applies its events; start a runner";
      }
      case FAILED -> {
        status = Status.DOWN;
        details.put("failedPosition", String.valueOf(s.failedPosition()));
        message = "failed at position " + s.failedPosition() + ": " + s.lastError()
            + "; fix the handler, then Projections.resume or rebuild";
      }
      default -> throw new IllegalStateException("unknown projection state " + s.state());
    }
    return new HealthCheck(name(s.id()), HealthCheck.Kind.READINESS, status, message, details);
  }

  private HealthCheck parked(ProjectionStatus s) {
    boolean over = s.parkedEvents() > config.maxParkedEvents();
    Map<String, String> details = Map.of("parkedEvents", Long.toString(s.parkedEvents()),
        "maxParkedEvents", Long.toString(config.maxParkedEvents()));
    return new HealthCheck(name(s.id()) + ".parked", HealthCheck.Kind.ATTENTION, over ? Status.DEGRADED : Status.UP,
        over
            ? s.parkedEvents() + " parked events, more than " + config.maxParkedEvents()
                + " (HealthConfig.maxParkedEvents); retry or dismiss them (Projections.retryParked, dismiss)"
            : s.parkedEvents() + " parked events",
        details);
  }
}
