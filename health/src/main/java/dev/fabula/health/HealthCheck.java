package dev.fabula.health;

import dev.fabula.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one check: what was checked, how it stands, and why, in words an operator can
 * act on. Immutable.
 *
 * @param name what was checked: {@code store}, {@code schema}, {@code projection:order-list@1},
 *     {@code pool:emails}, {@code jobs.failed}, …
 * @param kind which report it belongs to
 * @param status how it stands
 * @param message why, in one sentence (never a password, a payload or another tenant's data)
 * @param details the figures behind the status (lag, counts, thresholds), as text; insertion order kept
 */
public record HealthCheck(String name, Kind kind, Status status, String message, Map<String, String> details) {

  /** Which report a check belongs to. */
  public enum Kind {
    /**
     * The process's own machinery: threads alive, not deadlocked. A failing liveness check means
     * restart the process; it never depends on the database.
     */
    LIVENESS,
    /**
     * Whether this instance can serve: the store reachable, its schema current, the projections
     * caught up enough. A failing readiness check means send no traffic here for now.
     */
    READINESS,
    /**
     * Needs an operator's attention but is no reason to restart or to stop traffic: failed jobs,
     * parked events. Only in the full report.
     */
    ATTENTION
  }

  /** Validates and copies. */
  public HealthCheck {
    if (name == null || name.isBlank() || kind == null || status == null || message == null) {
      throw new InvalidInputException("a health check needs a name, a kind, a status and a message (got name=" + name
          + ", kind=" + kind + ", status=" + status + ")");
    }
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A check without details. */
  public static HealthCheck of(String name, Kind kind, Status status, String message) {
    return new HealthCheck(name, kind, status, message, Map.of());
  }
}
