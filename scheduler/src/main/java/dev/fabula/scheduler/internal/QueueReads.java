package dev.fabula.scheduler.internal;

import dev.fabula.InvalidInputException;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobDiagnosis;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.SchedulerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the queue tells about itself: a job, a page of jobs, a job's history, statistics, and why a
 * job is or is not running ({@link Diagnostics}). Reads only, outside transactions, so a result
 * may be a moment old; thread-safe.
 */
final class QueueReads {
  private final Db db;
  private final Rows rows;
  private final JobQueueConfig config;

  QueueReads(Db db, Rows rows, JobQueueConfig config) {
    this.db = db;
    this.rows = rows;
    this.config = config;
  }

  Optional<Job> job(long id) {
    return db.read("reading job " + id, h -> h.createQuery(db.sql.get("get_job")).bind("id", id).map(rows.job).findOne());
  }

  List<Job> list(JobQuery q) {
    if (q == null) {
      throw new InvalidInputException("query must not be null; use JobQuery.ALL");
    }
    return db.read("listing jobs", h -> h.createQuery(db.sql.get("list_jobs"))
        .bind("state", q.state() == null ? null : q.state().code())
        .bind("job_type", q.type())
        .bind("queue", q.queue())
        .bind("after_id", q.afterId())
        .bind("limit", q.limit())
        .map(rows.job)
        .list());
  }

  List<JobRun> history(long jobId) {
    return db.read("reading the history of job " + jobId,
        h -> h.createQuery(db.sql.get("job_runs")).bind("job_id", jobId).map(rows.run).list());
  }

  JobDiagnosis explain(long id) {
    Job job = job(id).orElseThrow(() -> new InvalidInputException("there is no job " + id + " (it may have been pruned)"));
    return new Diagnostics(db, this).explain(job);
  }

  SchedulerStats stats() {
    Instant now = db.now();
    return db.read("reading scheduler statistics", h -> {
      Map<JobState, Long> counts = new EnumMap<>(JobState.class);
      for (JobState s : JobState.values()) {
        counts.put(s, 0L);
      }
      h.createQuery(db.sql.get("state_counts"))
          .map((rs, ctx) -> Map.entry(JobState.ofCode(rs.getString(1)), rs.getLong(2)))
          .forEach(e -> counts.put(e.getKey(), e.getValue()));
      Instant oldest = h.createQuery(db.sql.get("oldest_due")).bind("now", db.time(now))
          .map((rs, ctx) -> db.readTime(rs, 1)).findOne().orElse(null);
      Map<String, Long> outcomes = new HashMap<>();
      h.createQuery(db.sql.get("outcomes_since")).bind("since", db.time(now.minusSeconds(60)))
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
          .forEach(e -> outcomes.put(e.getKey(), e.getValue()));
      Controls controls = Controls.read(h, db);
      List<String> workers = h.createQuery(db.sql.get("live_workers")).bind("since", db.time(now.minus(liveWindow())))
          .map((rs, ctx) -> rs.getString("worker_id")).list();
      return new SchedulerStats(counts, oldest == null ? Duration.ZERO : Duration.between(oldest, now),
          outcomes.getOrDefault("succeeded", 0L), outcomes.getOrDefault("failed", 0L), controls.killSwitch(),
          controls.pausedQueues(), controls.limits(), workers);
    });
  }

  /** How recent a heartbeat must be for a worker pool to count as live. */
  Duration liveWindow() {
    return config.leaseRenewInterval().multipliedBy(3).plus(config.pollInterval());
  }
}
