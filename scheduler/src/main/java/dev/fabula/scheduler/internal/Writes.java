package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/** Writes shared by the queue, the workers and maintenance, on an open transaction's handle. */
final class Writes {
  /** Longest error text kept, in characters. */
  static final int MAX_ERROR = 8_000;

  private final Db db;

  Writes(Db db) {
    this.db = db;
  }

  /** A history row for an attempt of {@code job}, as insert_runs.sql reads it. */
  Map<String, @Nullable Object> run(
      Job job, Trigger trigger, @Nullable String worker, Instant started, Instant finished,
      JobRun.Outcome outcome, @Nullable String error, @Nullable String output) {
    return run(job.id(), job.type(), job.queue(), job.attempt(), trigger, job.parentId(), job.scheduleName(),
        job.scheduledFor(), worker, started, finished, outcome, error, output);
  }

  /** A history row, as insert_runs.sql reads it. */
  Map<String, @Nullable Object> run(
      @Nullable Long jobId, String type, String queue, int attempt, Trigger trigger, @Nullable Long parentId,
      @Nullable String scheduleName, @Nullable Instant scheduledFor, @Nullable String worker,
      Instant started, Instant finished, JobRun.Outcome outcome, @Nullable String error, @Nullable String output) {
    Map<String, @Nullable Object> row = new LinkedHashMap<>();
    row.put("job_id", jobId);
    row.put("job_type", type);
    row.put("queue", queue);
    row.put("attempt", attempt);
    row.put("run_trigger", trigger.code());
    row.put("parent_id", parentId);
    row.put("schedule_name", scheduleName);
    row.put("scheduled_for", db.jsonTime(scheduledFor));
    row.put("worker", worker);
    row.put("started_at", db.jsonTime(started));
    row.put("finished_at", db.jsonTime(finished));
    row.put("duration_ms", Math.max(0, Duration.between(started, finished).toMillis()));
    row.put("outcome", outcome.code());
    row.put("error", clip(error));
    row.put("output", output);
    return row;
  }

  /** Appends history rows. */
  void insertRuns(Handle h, List<Map<String, @Nullable Object>> runs) {
    if (!runs.isEmpty()) {
      h.createUpdate(db.sql.get("insert_runs")).bind("runs", Db.json(runs)).execute();
    }
  }

  /**
   * Starts the jobs waiting for {@code parents}, which just succeeded, and cancels their
   * compensations (failing what waited for those).
   *
   * @return the started jobs
   */
  List<Long> releaseDependents(Handle h, Collection<Long> parents, Instant now) {
    if (parents.isEmpty()) {
      return List.of();
    }
    List<Long> released = h.createQuery(db.sql.get("release_dependents"))
        .bind("parents", Db.json(List.copyOf(parents)))
        .bind("now", db.time(now))
        .mapTo(Long.class)
        .list();
    failDependents(h, withDependents(ofParents(h, "cancel_compensations", parents, now)), "was cancelled", now);
    return released;
  }

  /**
   * Fails the jobs waiting for {@code parents}, which failed or were cancelled, and the jobs
   * waiting for those, and so on; starts the compensations of every job that so did not succeed.
   */
  void failDependents(Handle h, Collection<Long> parents, String reason, Instant now) {
    List<Long> didNotSucceed = new ArrayList<>(parents);
    List<Long> next = List.copyOf(parents);
    while (!next.isEmpty()) {
      next = withDependents(ofParents(h, "fail_dependents", next, now).bind("reason", reason));
      didNotSucceed.addAll(next);
      reason = "did not succeed";
    }
    if (!didNotSucceed.isEmpty()) {
      ofParents(h, "release_compensations", didNotSucceed, now).mapTo(Long.class).list();
    }
  }

  private Query ofParents(Handle h, String statement, Collection<Long> parents, Instant now) {
    return h.createQuery(db.sql.get(statement)).bind("parents", Db.json(List.copyOf(parents))).bind("now", db.time(now));
  }

  /** Runs a statement that finishes jobs, returning (id, has_dependents): the ids that have dependents. */
  static List<Long> withDependents(Query finishing) {
    return finishing.map((rs, ctx) -> rs.getBoolean("has_dependents") ? rs.getLong("id") : null).list()
        .stream().filter(java.util.Objects::nonNull).toList();
  }

  static @Nullable String clip(@Nullable String s) {
    return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR - 3) + "...";
  }
}
