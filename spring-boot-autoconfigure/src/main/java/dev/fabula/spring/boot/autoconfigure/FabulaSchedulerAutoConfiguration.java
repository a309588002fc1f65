package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * The job scheduler on the auto-configured store, when {@code fabula-scheduler} is on the class
 * path: a {@link JobQueue} bean configured by {@code fabula.scheduler.*}, and a worker pool as a
 * lifecycle bean ({@link WorkerPoolLifecycle}; off with {@code fabula.scheduler.enabled=false})
 * that registers the handler beans first.
 */
@AutoConfiguration(after = FabulaAutoConfiguration.class)
@ConditionalOnClass(JobQueue.class)
@ConditionalOnBean(JdbcEventStore.class)
public class FabulaSchedulerAutoConfiguration {

  /** {@code JobQueueConfig} from {@code fabula.scheduler.*}. */
  @Bean
  @ConditionalOnMissingBean
  public JobQueueConfig fabulaJobQueueConfig(FabulaProperties properties) {
    FabulaProperties.Scheduler s = properties.getScheduler();
    return Settings.from(JobQueueConfig.DEFAULT)
        .set("fabula.scheduler.poll-interval", s.getPollInterval(), JobQueueConfig::withPollInterval)
        .with("fabula.scheduler.lease-duration", s.getLeaseDuration(),
            c -> c.withLease(s.getLeaseDuration(), c.leaseRenewInterval()))
        .with("fabula.scheduler.lease-renew-interval", s.getLeaseRenewInterval(),
            c -> c.withLease(c.leaseDuration(), s.getLeaseRenewInterval()))
        .set("fabula.scheduler.shutdown-timeout", s.getShutdownTimeout(), JobQueueConfig::withShutdownTimeout)
        .set("fabula.scheduler.maintenance-interval", s.getMaintenanceInterval(), JobQueueConfig::withMaintenanceInterval)
        .set("fabula.scheduler.completion-batch-size", s.getCompletionBatchSize(), JobQueueConfig::withCompletionBatchSize)
        .set("fabula.scheduler.listen", s.getListen(), JobQueueConfig::withListen)
        .set("fabula.scheduler.worker-name", s.getWorkerName(), JobQueueConfig::withWorkerName)
        .get();
  }

  /** The queue on the store; its tables are checked (or migrated with migrate-on-open). */
  @Bean
  @ConditionalOnMissingBean
  public JobQueue fabulaJobQueue(JdbcEventStore store, JobQueueConfig config) {
    return JobQueue.open(store, config);
  }

  /** The worker pool, started after the context is ready and stopped after the web server. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "fabula.scheduler", name = "enabled", matchIfMissing = true)
  public WorkerPoolLifecycle fabulaWorkerPool(
      JobQueue queue, JobQueueConfig config, FabulaProperties properties, ListableBeanFactory beans) {
    FabulaProperties.Scheduler s = properties.getScheduler();
    if (s.getWorkers() < 1) {
      throw new InvalidConfigurationPropertyValueException("fabula.scheduler.workers", s.getWorkers(),
          "a worker pool needs at least one thread; to run no workers in this process set fabula.scheduler.enabled=false");
    }
    return new WorkerPoolLifecycle(queue, beans, s.getWorkers(), s.getQueues(), config.shutdownTimeout());
  }
}
