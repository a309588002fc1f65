package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobQueueConfig;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What every part of one worker pool shares: the queue's database access and configuration, and
 * the pool's identity (its id, its size, and the job types and queues it takes, also as the JSON
 * the claim and heartbeat statements bind), and the queue's observers. Immutable.
 */
record PoolContext(
    Db db,
    Rows rows,
    Writes writes,
    JobQueueConfig config,
    String workerId,
    int threads,
    Set<String> queues,
    Map<String, JobHandler> handlers,
    String typesJson,
    String queuesJson,
    JobObservers observers) {

  private static final AtomicInteger POOLS = new AtomicInteger();

  /** The context of a new pool of {@code queue}; its id is unique in this process and, with the host and pid, across them. */
  static PoolContext of(DefaultJobQueue queue, int threads, Set<String> queues) {
    JobQueueConfig config = queue.config;
    Map<String, JobHandler> handlers = queue.handlers();
    String prefix = config.workerName() != null ? config.workerName() : host() + ":" + ProcessHandle.current().pid();
    String workerId = prefix + ":" + POOLS.incrementAndGet() + ":" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFF);
    Set<String> queueSet = Set.copyOf(queues);
    return new PoolContext(queue.db, queue.rows, queue.writes, config, workerId, threads, queueSet, handlers,
        Db.jsonStrings(handlers.keySet()), Db.jsonStrings(queueSet), queue.observers);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }

  /**
   * Half the pool: under a backlog, the idle threads worth a claim of their own; while jobs run,
   * the outcomes worth a write of their own.
   */
  int batchThreshold() {
    return Math.max(1, threads / 2);
  }

  /**
   * Under a backlog, the idle threads the dispatcher waits for (at most its linger) before it
   * claims: every thread on a single-writer database, where each claim is a commit of the one
   * writer that also carries the outcomes waiting, so a claim for fewer threads costs as much as
   * one for all and a second follows at once; {@link #batchThreshold() half} elsewhere, where
   * claims and commits run side by side. With jobs that take microseconds, waiting for half made
   * the claims' size, and so the throughput, follow how long each run's last microsecond took
   * (docs/benchmarks.md, tenth session).
   */
  int claimThreshold() {
    return db.singleWriter ? threads : batchThreshold();
  }

  /** The job types for the heartbeat row; null when the pool fails unknown types, and so takes every type. */
  @Nullable String advertisedTypesJson() {
    return config.unknownJobTypes() == JobQueueConfig.UnknownJobTypes.FAIL ? null : typesJson;
  }
}
