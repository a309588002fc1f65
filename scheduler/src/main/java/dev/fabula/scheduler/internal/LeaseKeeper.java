package dev.fabula.scheduler.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker pool's keeper thread: every lease renew interval it renews the leases of all {@link
 * HeldJobs} in one statement (renew.sql), interrupts the handlers whose lease was not renewed
 * (rescued, cancelled, taken over), and refreshes the pool's heartbeat row, which tells other
 * processes (and {@code JobQueue.explain}) that the pool is alive and what it takes. It registers
 * the pool at start and unregisters it at close.
 *
 * <p>Once a thread of the pool died ({@link PoolHealth}), it renews nothing more and stops.
 *
 * <p>A failed renewal is logged and tried again at the next interval: a lease lasts several
 * intervals. One that expires meanwhile is rescued by maintenance, and this pool's later writes
 * about that claim write nothing, since each is fenced by the claim's token.
 */
final class LeaseKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class); // the pool's log, one name for its parts

  private final PoolContext pool;
  private final Db db;
  private final HeldJobs held;
  private final PoolHealth health;
  private @Nullable ScheduledExecutorService keeper;

  LeaseKeeper(PoolContext pool, HeldJobs held, PoolHealth health) {
    this.pool = pool;
    this.db = pool.db();
    this.held = held;
    this.health = health;
  }

  /** Registers the pool (failing if the database cannot be reached), then starts the keeper thread. */
  void start() {
    heartbeat(db.now());
    keeper = Executors.newSingleThreadScheduledExecutor(r -> Threads.daemon(r, "fabula-lease-keeper"));
    long renewMs = pool.config().leaseRenewInterval().toMillis();
    keeper.scheduleWithFixedDelay(this::renewLeases, renewMs, renewMs, TimeUnit.MILLISECONDS);
  }

  /** Stops the keeper thread; the leases still held run out on their own. */
  void stop() {
    keeper.shutdownNow();
  }

  /** Removes the pool's heartbeat row; a failure is logged (the row is pruned after a day). */
  void unregister() {
    try {
      db.write("unregistering worker pool " + pool.workerId(),
          h -> h.createUpdate(db.sql.get("remove_worker")).bind("worker_id", pool.workerId()).execute());
    } catch (RuntimeException e) {
      LOG.warn("Worker pool {}: cannot unregister ({})", pool.workerId(), e.getMessage());
    }
  }

  /**
   * One beat. Catches every {@code Throwable}: a task of a scheduled executor that throws is never
   * run again, silently, and every lease of the pool would then run out under running handlers.
   * Once a thread of the pool died ({@link PoolHealth}), it renews nothing and stops beating, so
   * that the held jobs' leases expire and other pools take them over.
   */
  private void renewLeases() {
    if (health.dead()) {
      for (Running r : held.snapshot()) {
        if (r.isRunning()) {
          r.lost = true; // its outcome would never be written: stop it, its lease runs out
          r.interrupt();
        }
      }
      keeper.shutdown();
      return;
    }
    try {
      Instant now = db.now();
      List<Running> leased = held.snapshot();
      if (!leased.isEmpty()) {
        List<Map<String, Object>> leases = new ArrayList<>();
        for (Running r : leased) {
          leases.add(Map.of("id", r.job.id(), "token", r.job.leaseToken()));
        }
        // The lease runs from now on the renewal's own connection, not from before it was got.
        Set<Long> renewed = new HashSet<>(db.write("renewing leases", h -> h.createQuery(db.sql.get("renew"))
            .bind("leases", Db.json(leases))
            .bind("lease_until", db.time(db.now(h).plus(pool.config().leaseDuration())))
            .mapTo(Long.class)
            .list()));
        for (Running r : leased) {
          if (!renewed.contains(r.job.id()) && held.holds(r.job.id()) && r.isRunning()) {
            r.lost = true;
            r.interrupt();
            LOG.warn("Job {} ({}): worker {} lost its lease (rescued, cancelled or taken over); interrupting its handler",
                r.job.id(), r.job.type(), pool.workerId());
          }
        }
      }
      heartbeat(now);
    } catch (Throwable e) {
      if (e instanceof RuntimeException) {
        LOG.warn("Worker pool {}: cannot renew leases ({}); retrying in {} ms", pool.workerId(), e.getMessage(),
            pool.config().leaseRenewInterval().toMillis());
      } else {
        LOG.error("Worker pool {}: cannot renew leases ({}); retrying in {} ms", pool.workerId(), e,
            pool.config().leaseRenewInterval().toMillis(), e);
      }
    }
  }

  private void heartbeat(Instant now) {
    db.write("registering worker pool " + pool.workerId(), h -> h.createUpdate(db.sql.get("heartbeat"))
        .bind("worker_id", pool.workerId())
        .bind("threads", pool.threads())
        .bind("job_types", pool.advertisedTypesJson())
        .bind("queues", pool.queues().isEmpty() ? null : pool.queuesJson())
        .bind("now", db.time(now))
        .execute());
  }
}
