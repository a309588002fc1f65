package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.JobQueueConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping any worker pool does for the whole queue, run by its dispatcher every
 * maintenance interval, one transaction per step:
 *
 * <ol>
 *   <li>rescue the jobs whose lease expired (their worker crashed, froze or lost the database):
 *       each goes back to pending, or fails when it has no attempts left, with a history row;
 *   <li>repair dependencies, a safety net: start the waiting jobs (and compensations) whose
 *       parent's outcome calls for it, fail those whose parent did not succeed, cancel the
 *       compensations whose parent succeeded, and pass each failure on to their own dependents;
 *   <li>prune finished jobs, history and silent worker rows past their retention.
 * </ol>
 *
 * <p>Several pools may run it at once: each statement re-checks the state it changes, and rows
 * another pool is rescuing are skipped. A pool never rescues a job it still holds (its handler
 * runs, or its outcome is being written), whatever its lease says. Dispatcher thread only.
 */
final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class); // the pool's log, one name for its parts
  /** Expired leases rescued per maintenance statement. */
  private static final int RESCUE_BATCH = 500;
  /** Rows pruned per statement. */
  private static final int PRUNE_BATCH = 1000;

  private final PoolContext pool;
  private final Db db;
  private final Rows rows;
  private final Writes writes;
  private final JobQueueConfig config;
  /** Whether this pool still holds a job's claim: its handler runs or its outcome is being written. */
  private final Predicate<Job> inFlight;

  Maintenance(PoolContext pool, Predicate<Job> inFlight) {
    this.pool = pool;
    this.inFlight = inFlight;
    this.db = pool.db();
    this.rows = pool.rows();
    this.writes = pool.writes();
    this.config = pool.config();
  }

  /**
   * Runs the three steps.
   *
   * @return the number of jobs rescued, which may now be due
   */
  int run() {
    Instant now = db.now();
    int rescued = rescue(now);
    repairDependencies(now);
    prune(now);
    return rescued;
  }

  private int rescue(Instant now) {
    List<Map.Entry<Job, Boolean>> rescuedNow = new ArrayList<>();
    int rescued = db.write("rescuing jobs with expired leases", h -> {
      rescuedNow.clear(); // a retried write starts afresh
      List<Job> expired = h.createQuery(db.sql.get("select_expired"))
          .bind("now", db.time(now))
          .bind("limit", RESCUE_BATCH)
          .map(rows.job)
          .list();
      // Never this pool's own jobs in flight: after an outage longer than the lease their leases
      // look expired, but the handler still runs or the outcome is still being written (and the
      // lease keeper renews them once the database is back); rescued, they would run twice.
      expired = expired.stream().filter(j -> !(pool.workerId().equals(j.leaseOwner()) && inFlight.test(j))).toList();
      if (expired.isEmpty()) {
        return 0;
      }
      record Rescued(boolean failed, boolean hasDependents) {}
      Map<Long, Rescued> rescuedJobs = new HashMap<>();
      h.createQuery(db.sql.get("rescue"))
          .bind("ids", Db.json(expired.stream().map(Job::id).toList()))
          .bind("now", db.time(now))
          .map((rs, ctx) -> {
            rescuedJobs.put(rs.getLong("id"),
                new Rescued(JobState.FAILED.code().equals(rs.getString("state")), rs.getBoolean("has_dependents")));
            return 0;
          })
          .list();
      List<Map<String, @Nullable Object>> runs = new ArrayList<>();
      List<Long> failedParents = new ArrayList<>();
      for (Job j : expired) {
        Rescued r = rescuedJobs.get(j.id());
        if (r == null) {
          continue;
        }
        String error = "lease expired: worker " + j.leaseOwner() + " stopped renewing it during attempt " + j.attempt()
            + " (it crashed, froze or lost the database)";
        Instant started = j.claimedAt() != null ? j.claimedAt() : now;
        runs.add(writes.run(j, j.trigger(), j.leaseOwner(), started, now, JobRun.Outcome.LEASE_EXPIRED, error, null));
        if (r.failed() && r.hasDependents()) {
          failedParents.add(j.id());
        }
        LOG.warn("Job {} ({}): {}; {}", j.id(), j.type(), error, r.failed() ? "no attempts left, failed" : "retrying");
        rescuedNow.add(Map.entry(j, r.failed()));
      }
      writes.insertRuns(h, runs);
      if (!failedParents.isEmpty()) {
        writes.failDependents(h, failedParents, "failed", now);
      }
      return runs.size();
    });
    rescuedNow.forEach(e -> pool.observers().rescued(e.getKey(), e.getValue()));
    return rescued;
  }

  private void repairDependencies(Instant now) {
    db.write("repairing dependencies", h -> {
      h.createQuery(db.sql.get("release_orphans")).bind("now", db.time(now)).mapTo(Long.class).list();
      List<Long> failed = withDependents(h, "fail_orphans", now);
      if (!failed.isEmpty()) {
        writes.failDependents(h, failed, "failed", now);
      }
      List<Long> cancelled = withDependents(h, "cancel_orphans", now);
      if (!cancelled.isEmpty()) {
        writes.failDependents(h, cancelled, "was cancelled", now);
      }
      return null;
    });
  }

  private List<Long> withDependents(Handle h, String statement, Instant now) {
    return Writes.withDependents(h.createQuery(db.sql.get(statement)).bind("now", db.time(now)));
  }

  private void prune(Instant now) {
    Instant failedBefore = config.failedJobRetention() == null ? Instant.EPOCH : now.minus(config.failedJobRetention());
    db.write("pruning finished jobs", h -> {
      h.createUpdate(db.sql.get("prune_jobs"))
          .bind("finished_before", db.time(now.minus(config.finishedJobRetention())))
          .bind("failed_before", db.time(failedBefore))
          .bind("limit", PRUNE_BATCH)
          .execute();
      h.createUpdate(db.sql.get("prune_runs"))
          .bind("before", db.time(now.minus(config.historyRetention())))
          .bind("limit", PRUNE_BATCH)
          .execute();
      h.createUpdate(db.sql.get("prune_workers")).bind("before", db.time(now.minus(Duration.ofDays(1)))).execute();
      return null;
    });
  }
}
