package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs every {@link Projection} bean in one {@link ProjectionRunner}, started and stopped with the
 * application context in {@link FabulaLifecycle#PHASE}. The projections are looked up when the
 * runner starts, so a projection's handler may depend on any bean. Thread-safe.
 */
public final class ProjectionRunnerLifecycle implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunnerLifecycle.class);

  private final Projections projections;
  private final RunnerConfig config;
  private final Supplier<List<Projection>> definitions;
  private @Nullable ProjectionRunner runner;

  /** A runner of {@code definitions} (looked up at start) on {@code projections}. */
  public ProjectionRunnerLifecycle(Projections projections, RunnerConfig config, Supplier<List<Projection>> definitions) {
    this.projections = projections;
    this.config = config;
    this.definitions = definitions;
  }

  @Override
  public synchronized void start() {
    if (runner != null) {
      return;
    }
    List<Projection> found = definitions.get();
    if (found.isEmpty()) {
      LOG.info("No Projection beans: no projection runner started");
      return;
    }
    runner = projections.runner(config, found).start();
    LOG.info("Projection runner started for {} projection(s)", found.size());
  }

  @Override
  public synchronized void stop() {
    if (runner != null) {
      runner.close();
      runner = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return runner != null;
  }

  @Override
  public int getPhase() {
    return FabulaLifecycle.PHASE;
  }

  /** The running runner, if any, for health and tests. */
  public synchronized java.util.Optional<ProjectionRunner> runner() {
    return java.util.Optional.ofNullable(runner);
  }
}
