package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.metrics.ProjectionMetrics;
import dev.fabula.metrics.SchedulerMetrics;
import dev.fabula.metrics.StoreMetrics;
import dev.fabula.projections.Projections;
import dev.fabula.scheduler.JobQueue;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meters of the store, projections and the scheduler, when {@code fabula-metrics} is on
 * the class path: each is a {@link MeterBinder} bean, which Spring Boot's metrics support (Actuator)
 * binds to every {@code MeterRegistry} of the application.
 */
@AutoConfiguration(after = {FabulaAutoConfiguration.class, FabulaProjectionsAutoConfiguration.class,
    FabulaSchedulerAutoConfiguration.class})
@ConditionalOnClass({StoreMetrics.class, MeterBinder.class})
@ConditionalOnBean(JdbcEventStore.class)
public class FabulaMetricsAutoConfiguration {

  /** The store's meters ({@code fabula.store.*}). */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public StoreMetrics fabulaStoreMetrics(JdbcEventStore store) {
    return StoreMetrics.of(store);
  }

  /** The projections' meters, when projections are configured. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Projections.class)
  @ConditionalOnBean(Projections.class)
  static class ProjectionsMeters {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ProjectionMetrics fabulaProjectionMetrics(Projections projections) {
      return ProjectionMetrics.of(projections);
    }
  }

  /** The scheduler's meters, when a job queue is configured. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JobQueue.class)
  @ConditionalOnBean(JobQueue.class)
  static class SchedulerMeters {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SchedulerMetrics fabulaSchedulerMetrics(JobQueue queue) {
      return SchedulerMetrics.of(queue);
    }
  }
}
