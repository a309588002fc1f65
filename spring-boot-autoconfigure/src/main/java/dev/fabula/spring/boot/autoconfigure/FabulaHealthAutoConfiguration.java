package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.health.Health;
import dev.fabula.health.HealthCheck;
import dev.fabula.health.HealthConfig;
import dev.fabula.health.HealthIndicator;
import dev.fabula.health.JvmHealth;
import dev.fabula.health.ProjectionHealth;
import dev.fabula.health.SchedulerHealth;
import dev.fabula.health.StoreHealth;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projections;
import dev.fabula.scheduler.JobQueue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.boot.cloud.CloudPlatform;

/**
 * Fabula's health checks ({@code fabula-health}) in Actuator, when {@code fabula-health} and
 * Spring Boot's health support are on the class path: three components, {@code fabulaLiveness}
 * (worker pools, deadlocks: no database), {@code fabulaReadiness} (store, schema, projections) and
 * {@code fabulaAttention} (parked events, failed jobs, the kill switch), each check a child with its
 * own status. The liveness and readiness components join Actuator's {@code liveness} and {@code
 * readiness} probe groups ({@link FabulaProbeGroups}). A part switched off on purpose ({@code
 * fabula.scheduler.enabled=false}, {@code fabula.projections.enabled=false}) is {@code DISABLED},
 * answered with HTTP 200, never {@code DOWN}. Thresholds come from {@code fabula.health.*}; every
 * {@link HealthIndicator} bean of the application joins the checks.
 */
@AutoConfiguration(
    after = {FabulaAutoConfiguration.class, FabulaProjectionsAutoConfiguration.class, FabulaSchedulerAutoConfiguration.class},
    afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass({Health.class, HealthContributor.class})
@ConditionalOnBean(JdbcEventStore.class)
@ConditionalOnBooleanProperty(name = "fabula.health.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FabulaHealthProperties.class)
public class FabulaHealthAutoConfiguration {

  /** {@code HealthConfig} from {@code fabula.health.*}. */
  @Bean
  @ConditionalOnMissingBean
  public HealthConfig fabulaHealthConfig(FabulaHealthProperties properties) {
    return Settings.from(HealthConfig.DEFAULT)
        .set("fabula.health.timeout", properties.getTimeout(), HealthConfig::withTimeout)
        .set("fabula.health.max-projection-lag", properties.getMaxProjectionLag(), HealthConfig::withMaxProjectionLag)
        .set("fabula.health.max-parked-events", properties.getMaxParkedEvents(), HealthConfig::withMaxParkedEvents)
        .set("fabula.health.max-failed-jobs", properties.getMaxFailedJobs(), HealthConfig::withMaxFailedJobs)
        .get();
  }

  /** Every Fabula {@link HealthIndicator} bean, asked together within {@code fabula.health.timeout}. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Health fabulaHealth(HealthConfig config, ObjectProvider<HealthIndicator> indicators) {
    return Health.of(config, indicators.orderedStream().toList());
  }

  /** The store and its schema (readiness). */
  @Bean
  public HealthIndicator fabulaStoreHealth(JdbcEventStore store) {
    return StoreHealth.of(store);
  }

  /** Deadlocked threads (liveness). */
  @Bean
  public HealthIndicator fabulaDeadlockHealth() {
    return JvmHealth.deadlocks();
  }

  /** Actuator's {@code fabulaLiveness} component. */
  @Bean
  public HealthContributor fabulaLivenessHealthContributor(Health health) {
    return new FabulaHealthContributor(health::liveness);
  }

  /** Actuator's {@code fabulaReadiness} component. */
  @Bean
  public HealthContributor fabulaReadinessHealthContributor(Health health) {
    return new FabulaHealthContributor(health::readiness);
  }

  /** Actuator's {@code fabulaAttention} component: what needs a look but is no probe's business. */
  @Bean
  public HealthContributor fabulaAttentionHealthContributor(Health health) {
    return new FabulaHealthContributor(() -> only(health.report(), HealthCheck.Kind.ATTENTION));
  }

  private static dev.fabula.health.HealthReport only(dev.fabula.health.HealthReport report, HealthCheck.Kind kind) {
    return dev.fabula.health.HealthReport.of(report.checks().stream().filter(c -> c.kind() == kind).toList(),
        report.checkedAt());
  }

  /** The liveness and readiness components in Actuator's probe groups. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SecurityContext")
  @ConditionalOnBooleanProperty(name = "fabula.health.probes", matchIfMissing = true)
  static class ProbeGroups {
    @Bean
    static HealthEndpointGroupsPostProcessor fabulaProbeGroups(Environment environment) {
      // The condition of Spring Boot's own probe groups: the property, else Kubernetes or Cloud Foundry.
      Boolean configured = environment.getProperty("management.endpoint.health.probes.enabled", Boolean.class);
      CloudPlatform platform = CloudPlatform.getActive(environment);
      return new FabulaProbeGroups(configured != null ? configured
          : platform == CloudPlatform.KUBERNETES || platform == CloudPlatform.CLOUD_FOUNDRY);
    }
  }

  /** The projections: running and within the lag (readiness), parked events (attention). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Projections.class)
  @ConditionalOnBean(Projections.class)
  static class ProjectionChecks {
    @Bean
    HealthIndicator fabulaProjectionHealth(Projections projections, HealthConfig config,
        FabulaHealthProperties properties, ObjectProvider<ProjectionRunnerLifecycle> runner) {
      if (runner.getIfAvailable() == null) {
        return HealthIndicator.disabled("projections", HealthCheck.Kind.READINESS,
            "this process runs no projections (fabula.projections.enabled=false)");
      }
      return ProjectionHealth.of(projections, config).ignoring(properties.getIgnoredProjections());
    }

    @Bean
    HealthIndicator fabulaParkedEventsHealth(Projections projections, HealthConfig config, FabulaHealthProperties properties) {
      return ProjectionHealth.parked(projections, config).ignoring(properties.getIgnoredProjections());
    }
  }

  /** The worker pool (liveness), failed jobs and the kill switch (attention). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JobQueue.class)
  @ConditionalOnBean(JobQueue.class)
  static class SchedulerChecks {
    @Bean
    HealthIndicator fabulaWorkerPoolHealth(ObjectProvider<WorkerPoolLifecycle> pool) {
      WorkerPoolLifecycle lifecycle = pool.getIfAvailable();
      return lifecycle == null
          ? HealthIndicator.disabled("pool:main", HealthCheck.Kind.LIVENESS,
              "this process runs no workers (fabula.scheduler.enabled=false)")
          : new WorkerPoolHealth(lifecycle);
    }

    @Bean
    HealthIndicator fabulaJobsHealth(JobQueue queue, HealthConfig config) {
      return SchedulerHealth.of(queue, config);
    }
  }
}
