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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
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
      List<SchedulerStats.TypeStats> byType = byQueueAndType(h, now);
      byType.forEach(t -> t.counts().forEach((state, n) -> counts.merge(state, n, Long::sum)));
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
          controls.pausedQueues(), controls.limits(), workers, byType);
    });
  }

  /** Counts and the oldest due job per queue and type, in one pass over the jobs (queue_stats.sql). */
  private List<SchedulerStats.TypeStats> byQueueAndType(Handle h, Instant now) {
    record Row(String queue, String type, JobState state, long jobs, @Nullable Instant oldestDue) {}
    Map<List<String>, Map<JobState, Long>> counts = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0))
        .thenComparing(k -> k.get(1)));
    Map<List<String>, Instant> oldest = new HashMap<>();
    h.createQuery(db.sql.get("queue_stats")).bind("now", db.time(now))
        .map((rs, ctx) -> new Row(rs.getString("queue"), rs.getString("job_type"), JobState.ofCode(rs.getString("state")),
            rs.getLong("jobs"), db.readTime(rs, "oldest_due")))
        .forEach(r -> {
          List<String> key = List.of(r.queue(), r.type());
          counts.computeIfAbsent(key, k -> zeroes()).put(r.state(), r.jobs());
          if (r.oldestDue() != null) {
            oldest.merge(key, r.oldestDue(), (a, b) -> a.isBefore(b) ? a : b);
          }
        });
    List<SchedulerStats.TypeStats> result = new ArrayList<>();
    counts.forEach((key, byState) -> {
      Instant due = oldest.get(key);
      result.add(new SchedulerStats.TypeStats(key.get(0), key.get(1), byState,
          due == null || due.isAfter(now) ? Duration.ZERO : Duration.between(due, now)));
    });
    return result;
  }

  private static Map<JobState, Long> zeroes() {
    Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    for (JobState s : JobState.values()) {
      counts.put(s, 0L);
    }
    return counts;
  }

  /** How recent a heartbeat must be for a worker pool to count as live. */
  Duration liveWindow() {
    return config.leaseRenewInterval().multipliedBy(3).plus(config.pollInterval());
  }
}
