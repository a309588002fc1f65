package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.health.HealthCheck;
import dev.fabula.health.HealthIndicator;
import dev.fabula.health.SchedulerHealth;
import dev.fabula.health.Status;
import java.util.List;

/**
 * The liveness of the worker pool the starter runs ({@code pool:main}): {@code SchedulerHealth.pool}
 * while it runs; {@code DOWN} when it is not running (before the context has started it, or after
 * it stopped), since a process that should run workers and runs none needs a restart.
 */
final class WorkerPoolHealth implements HealthIndicator {
  private final WorkerPoolLifecycle lifecycle;

  WorkerPoolHealth(WorkerPoolLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public String name() {
    return "pool:main";
  }

  @Override
  public HealthCheck.Kind kind() {
    return HealthCheck.Kind.LIVENESS;
  }

  @Override
  public List<HealthCheck> check() {
    return lifecycle.pool().map(pool -> SchedulerHealth.pool("main", pool).check())
        .orElseGet(() -> List.of(HealthCheck.of(name(), kind(), Status.DOWN, "the worker pool is not running")));
  }
}
