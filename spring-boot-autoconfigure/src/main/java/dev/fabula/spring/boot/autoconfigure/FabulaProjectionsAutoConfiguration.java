package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Projections on the auto-configured store, when {@code fabula-projections} is on the class path: a
 * {@link Projections} bean, a {@link RunnerConfig} from {@code fabula.projections.*}, and a runner
 * of every {@link Projection} bean as a lifecycle bean ({@link ProjectionRunnerLifecycle}; off with
 * {@code fabula.projections.enabled=false}).
 */
@AutoConfiguration(after = FabulaAutoConfiguration.class)
@ConditionalOnClass(Projections.class)
@ConditionalOnBean(JdbcEventStore.class)
public class FabulaProjectionsAutoConfiguration {

  /** Projections on the store; their tables are checked (or migrated with migrate-on-open). */
  @Bean
  @ConditionalOnMissingBean
  public Projections fabulaProjections(JdbcEventStore store) {
    return Projections.open(store);
  }

  /** {@code RunnerConfig} from {@code fabula.projections.*}. */
  @Bean
  @ConditionalOnMissingBean
  public RunnerConfig fabulaRunnerConfig(FabulaProperties properties) {
    FabulaProperties.Projections p = properties.getProjections();
    return Settings.from(RunnerConfig.DEFAULT)
        .set("fabula.projections.owner", p.getOwner(), RunnerConfig::withOwner)
        .set("fabula.projections.poll-interval", p.getPollInterval(), RunnerConfig::withPollInterval)
        .set("fabula.projections.lease-duration", p.getLeaseDuration(), RunnerConfig::withLeaseDuration)
        .set("fabula.projections.max-attempts", p.getMaxAttempts(), RunnerConfig::withMaxAttempts)
        .with("fabula.projections.initial-backoff", p.getInitialBackoff(),
            c -> c.withBackoff(p.getInitialBackoff(), c.maxBackoff()))
        .with("fabula.projections.max-backoff", p.getMaxBackoff(), c -> c.withBackoff(c.initialBackoff(), p.getMaxBackoff()))
        .set("fabula.projections.listen", p.getListen(), RunnerConfig::withListen)
        .get();
  }

  /** The runner of every Projection bean, started after the context is ready. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "fabula.projections", name = "enabled", matchIfMissing = true)
  public ProjectionRunnerLifecycle fabulaProjectionRunner(
      Projections projections, RunnerConfig config, ObjectProvider<Projection> definitions) {
    return new ProjectionRunnerLifecycle(projections, config, () -> List.copyOf(definitions.orderedStream().toList()));
  }
}
