package dev.fabula.health;

import dev.fabula.InvalidInputException;
import java.util.List;

/**
 * Something that checks one part of the system and reports one or more {@link HealthCheck}s of one
 * {@link HealthCheck.Kind}. Fabula's are made by {@link StoreHealth}, {@link ProjectionHealth},
 * {@link SchedulerHealth} and {@link JvmHealth}; an application adds its own by implementing this.
 *
 * <p>{@link Health} calls {@link #check()} on a thread of its own, with a time limit, so an
 * indicator may block on I/O; one that throws or overruns is reported {@link Status#DOWN} under
 * its {@link #name()}. Implementations must be thread-safe.
 */
public interface HealthIndicator {

  /** The name a failure of the indicator itself is reported under. */
  String name();

  /** Which report its checks belong to. */
  HealthCheck.Kind kind();

  /** Checks now; each returned check has this indicator's {@link #kind()}. */
  List<HealthCheck> check();

  /**
   * An indicator for a part switched off on purpose (a worker pool this process does not run, the
   * projections run by another service): always {@link Status#DISABLED}, with the reason.
   */
  static HealthIndicator disabled(String name, HealthCheck.Kind kind, String reason) {
    if (name == null || kind == null || reason == null) {
      throw new InvalidInputException("name, kind and reason must not be null");
    }
    HealthCheck check = HealthCheck.of(name, kind, Status.DISABLED, reason);
    return new HealthIndicator() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public HealthCheck.Kind kind() {
        return kind;
      }

      @Override
      public List<HealthCheck> check() {
        return List.of(check);
      }
    };
  }
}
