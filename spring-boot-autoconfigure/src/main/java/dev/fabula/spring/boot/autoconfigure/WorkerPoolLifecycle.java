package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.InvalidInputException;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.scheduler.spi.JobHandlerProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Registers the job handler beans ({@link JobType}-annotated {@link JobHandler}s and {@link
 * JobHandlerProvider}s) with the {@link JobQueue}, then runs a {@link WorkerPool}, started and
 * stopped with the application context in {@link FabulaLifecycle#PHASE}: after the web server's
 * graceful shutdown, stopping lets running jobs finish for up to the shutdown timeout, then
 * interrupts the rest and hands their jobs back. Handlers are looked up when the pool starts, so a
 * handler may depend on the queue. Thread-safe.
 */
public final class WorkerPoolLifecycle implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPoolLifecycle.class);

  private final JobQueue queue;
  private final ListableBeanFactory beans;
  private final int workers;
  private final Set<String> queues;
  private final Duration shutdownTimeout;
  private boolean registered;
  private @Nullable WorkerPool pool;

  /**
   * @param workers threads of the pool
   * @param queues the queues it claims from; empty: all
   * @param shutdownTimeout how long stopping waits for running jobs
   */
  public WorkerPoolLifecycle(JobQueue queue, ListableBeanFactory beans, int workers, Set<String> queues, Duration shutdownTimeout) {
    this.queue = queue;
    this.beans = beans;
    this.workers = workers;
    this.queues = Set.copyOf(queues);
    this.shutdownTimeout = shutdownTimeout;
  }

  @Override
  public synchronized void start() {
    if (pool != null) {
      return;
    }
    if (!registered) {
      registerHandlers();
      registered = true;
    }
    pool = (queues.isEmpty() ? queue.newWorkerPool(workers) : queue.newWorkerPool(workers, queues)).start();
    LOG.info("Worker pool started: {} thread(s), queues {}, job types {}", workers, queues.isEmpty() ? "all" : queues,
        queue.registeredTypes());
  }

  private void registerHandlers() {
    for (Map.Entry<String, JobHandler> e : beans.getBeansOfType(JobHandler.class).entrySet()) {
      JobType type = AnnotatedElementUtils.findMergedAnnotation(AopUtils.getTargetClass(e.getValue()), JobType.class);
      if (type == null) {
        throw new InvalidInputException("the JobHandler bean '" + e.getKey() + "' names no job type: annotate its class "
            + "with @JobType(\"<type>\"), or register it through a JobHandlerProvider bean");
      }
      queue.register(type.value(), e.getValue());
    }
    beans.getBeansOfType(JobHandlerProvider.class).values().forEach(p -> {
      LOG.info("Registering the job handlers of {}", p.name());
      p.registerHandlers(queue);
    });
  }

  @Override
  public synchronized void stop() {
    if (pool != null) {
      if (!pool.close(shutdownTimeout)) {
        LOG.warn("Jobs still running after {} were interrupted and handed back to the queue", shutdownTimeout);
      }
      pool = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return pool != null;
  }

  @Override
  public int getPhase() {
    return FabulaLifecycle.PHASE;
  }

  /** The running pool, if any, for health and tests. */
  public synchronized java.util.Optional<WorkerPool> pool() {
    return java.util.Optional.ofNullable(pool);
  }
}
