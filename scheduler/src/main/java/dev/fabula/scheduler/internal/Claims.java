package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQueueConfig;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due jobs for a worker pool on the dispatcher's transaction: the fast statement
 * (claim.sql), or, while concurrency limits are set, the limited one (claim_limited.sql, after
 * taking the limits lock, which also says whether everything is paused).
 *
 * <p>It keeps a snapshot of the {@link Controls} for at most a poll interval, only to choose the
 * statement and to skip claiming while the kill switch is on. The claim statements read the
 * controls table themselves, so a stale snapshot never lets a paused or limited job through; at
 * worst the fast statement finds nothing, and the snapshot is read again. The dispatcher thread
 * reads and claims; {@link #forgetControls} may be called from any thread.
 */
final class Claims {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class); // the pool's log, one name for its parts
  /** Candidates ranked by a limited claim. */
  private static final int LIMITED_SCAN = 1000;

  private final PoolContext pool;
  private final Db db;
  private volatile @Nullable Controls controls;
  private volatile long controlsReadAt;

  Claims(PoolContext pool) {
    this.pool = pool;
    this.db = pool.db();
  }

  /** The controls, as read at most a poll interval ago. */
  Controls controls() {
    Controls c = controls;
    if (c == null || System.nanoTime() - controlsReadAt > pool.config().pollInterval().toNanos()) {
      c = db.read("reading the scheduler controls", h -> Controls.read(h, db));
      controls = c;
      controlsReadAt = System.nanoTime();
    }
    return c;
  }

  /** The controls changed: the next {@link #controls} reads them again. */
  void forgetControls() {
    controls = null;
  }

  /**
   * Whether any pending job is due (any_due.sql), read outside a transaction; a claim may still
   * find nothing the pool can take.
   */
  boolean anyDue() {
    return db.read("looking for due jobs", h -> h.createQuery(db.sql.get("any_due"))
        .bind("due_by", db.time(db.dueBy(db.now(h))))
        .mapTo(Boolean.class)
        .one());
  }

  /** Claims up to {@code free} due jobs on {@code h}, leased to this pool; {@code c} is the snapshot that decided to claim. */
  List<Job> claim(Handle h, Controls c, int free, Instant now) {
    boolean allTypes = pool.config().unknownJobTypes() == JobQueueConfig.UnknownJobTypes.FAIL;
    String statement = "claim";
    if (c.anyLimit()) {
      Boolean paused = h.createQuery(db.sql.get("lock_limits")).mapTo(Boolean.class).findOne().orElse(false);
      if (paused) {
        return List.of();
      }
      statement = "claim_limited";
    }
    List<Job> jobs = h.createQuery(db.sql.get(statement))
        .bind("now", db.time(now))
        .bind("due_by", db.time(db.dueBy(now)))
        .bind("lease_until", db.time(now.plus(pool.config().leaseDuration())))
        .bind("owner", pool.workerId())
        .bind("limit", free)
        .bind("scan", LIMITED_SCAN)
        .bind("all_types", allTypes)
        .bind("types", pool.typesJson())
        .bind("all_queues", pool.queues().isEmpty())
        .bind("queues", pool.queuesJson())
        .map(pool.rows().job)
        .list();
    if (jobs.isEmpty() && !c.anyLimit()) {
      controls = null; // a limit set elsewhere makes the fast path take nothing: look again next time
    }
    return jobs;
  }

  /**
   * Gives back, on {@code h}, the jobs a claim whose commit was not confirmed may have taken:
   * running under this pool's name, claimed {@code since} the first claim in doubt, but not among
   * {@code held} (give_back_unheld.sql). Without this they would wait for their lease to run out,
   * and the lost claim would count as an attempt.
   */
  void giveBackUnheld(Handle h, Collection<Long> held, Instant since, Instant now) {
    List<Long> ids = h.createQuery(db.sql.get("give_back_unheld"))
        .bind("owner", pool.workerId())
        .bind("held", Db.json(List.copyOf(held)))
        .bind("since", db.time(since))
        .bind("now", db.time(now))
        .mapTo(Long.class)
        .list();
    if (!ids.isEmpty()) {
      LOG.warn("Worker pool {}: a claim whose commit failed had taken jobs {} after all; given back, due now, "
          + "the attempt not counted", pool.workerId(), ids);
    }
  }
}
