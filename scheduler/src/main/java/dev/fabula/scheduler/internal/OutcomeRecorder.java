package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.RetryPolicy;
import dev.fabula.scheduler.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a worker pool's outcomes on an open transaction's handle: the successes of a batch in one
 * statement (complete.sql, which on PostgreSQL also inserts their history rows, so a batch of
 * successes costs one round trip); failures, retries, snoozes and fail-without-retry one by one
 * (settle.sql); then the history rows not yet written, and the dependents (started after a
 * success, failed after a final failure). At shutdown it also gives back a job whose handler is still running.
 *
 * <p>Every write is fenced by the claim's token: an outcome whose lease was lost (it expired, the
 * job was cancelled, another worker took it over) writes nothing, so whatever this pool believes,
 * it cannot overwrite a state another worker wrote after taking the job over. Holds no state of
 * its own; any thread may call it.
 */
final class OutcomeRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class); // the pool's log, one name for its parts

  private final PoolContext pool;
  private final Db db;
  private final Writes writes;
  /** Told the due time of each job this pool retries or snoozes, so the pool wakes for it. */
  private final Consumer<Instant> dueLater;

  OutcomeRecorder(PoolContext pool, Consumer<Instant> dueLater) {
    this.pool = pool;
    this.dueLater = dueLater;
    this.db = pool.db();
    this.writes = pool.writes();
  }

  /**
   * Writes a batch of outcomes on {@code h}: the successes in one statement, the others one by
   * one, then their history and dependents. Outcomes whose lease was lost write nothing.
   *
   * @return the ids of the jobs whose outcome was recorded
   */
  Set<Long> write(Handle h, List<Outcome> batch, Instant now) {
    List<Map<String, @Nullable Object>> runs = new ArrayList<>();
    List<Long> released = new ArrayList<>();
    List<Long> failedParents = new ArrayList<>();
    Set<Long> recorded = new HashSet<>();
    List<Outcome> successes = batch.stream().filter(o -> o.result() instanceof JobResult.Success).toList();
    if (!successes.isEmpty()) {
      List<Map<String, @Nullable Object>> done = new ArrayList<>();
      for (Outcome o : successes) {
        Map<String, @Nullable Object> row = new LinkedHashMap<>();
        row.put("id", o.running().job.id());
        row.put("token", o.running().job.leaseToken());
        row.put("started_at", db.jsonTime(o.started()));
        row.put("finished_at", db.jsonTime(o.finished()));
        row.put("duration_ms", Math.max(0, Duration.between(o.started(), o.finished()).toMillis()));
        row.put("output", ((JobResult.Success) o.result()).output());
        done.add(row);
      }
      var complete = h.createQuery(db.sql.get("complete")).bind("batch", Db.json(done));
      if (db.completeWritesHistory) {
        complete.bind("worker", pool.workerId());
      }
      complete.map((rs, ctx) -> new long[] {rs.getLong("id"), rs.getBoolean("has_dependents") ? 1 : 0})
          .forEach(row -> {
            recorded.add(row[0]);
            if (row[1] == 1) {
              released.add(row[0]);
            }
          });
      for (Outcome o : db.completeWritesHistory ? List.<Outcome>of() : successes) {
        if (recorded.contains(o.running().job.id())) {
          runs.add(writes.run(o.running().job, o.running().job.trigger(), pool.workerId(), o.started(), o.finished(),
              JobRun.Outcome.SUCCEEDED, null, ((JobResult.Success) o.result()).output()));
        }
      }
    }
    for (Outcome o : batch) {
      if (!(o.result() instanceof JobResult.Success)) {
        settle(h, o, now, runs, failedParents, recorded);
      }
    }
    writes.insertRuns(h, runs);
    if (!released.isEmpty()) {
      writes.releaseDependents(h, released, now);
    }
    if (!failedParents.isEmpty()) {
      writes.failDependents(h, failedParents, "failed", now);
    }
    return recorded;
  }

  /** Warns about each outcome of {@code batch} that {@link #write} did not record: its lease was lost. */
  void logUnrecorded(List<Outcome> batch, Set<Long> recorded) {
    for (Outcome o : batch) {
      if (!recorded.contains(o.running().job.id())) {
        LOG.warn("Job {} ({}): the outcome of attempt {} was not written now: either an earlier try of this write "
                + "committed although its connection failed, or this worker ({}) lost its lease (it expired, the job "
                + "was cancelled, or another worker took it over); the job's state in the database stands",
            o.running().job.id(), o.running().job.type(), o.running().job.attempt(), pool.workerId());
      }
    }
  }

  /** Writes a failure, a snooze or a fail-without-retry, fenced by the claim's token. */
  private void settle(Handle h, Outcome o, Instant now, List<Map<String, @Nullable Object>> runs,
                      List<Long> failedParents, Set<Long> recorded) {
    Job job = o.running().job;
    String state;
    Instant runAt = now;
    int attemptDelta = 0;
    String trigger = null;
    String error;
    JobRun.Outcome outcome;
    if (o.result() instanceof JobResult.Snooze snooze) {
      state = JobState.PENDING.code();
      runAt = now.plus(snooze.delay());
      attemptDelta = -1;
      error = job.lastError();
      outcome = JobRun.Outcome.SNOOZED;
    } else if (o.result() instanceof JobResult.Fail fail) {
      state = JobState.FAILED.code();
      error = fail.reason();
      outcome = JobRun.Outcome.FAILED;
    } else {
      error = o.error() == null ? "the handler failed" : o.error();
      outcome = JobRun.Outcome.FAILED;
      if (job.attempt() < job.maxAttempts()) {
        RetryPolicy policy = pool.config().retryPolicy(job.type());
        state = JobState.PENDING.code();
        runAt = now.plus(policy.jitteredDelayAfter(job.attempt()));
        trigger = Trigger.RETRY.code();
      } else {
        state = JobState.FAILED.code();
        error = "attempt " + job.attempt() + " of " + job.maxAttempts() + " failed, no attempts left: " + error;
      }
    }
    var update = h.createQuery(db.sql.get("settle"))
        .bind("id", job.id())
        .bind("token", job.leaseToken())
        .bind("state", state)
        .bind("run_at", db.time(runAt))
        .bind("attempt_delta", attemptDelta)
        .bind("run_trigger", trigger)
        .bind("error", Writes.clip(error))
        .bind("now", db.time(now));
    db.bindTime(update, "finished_at", JobState.FAILED.code().equals(state) ? now : null);
    var row = update.map((rs, ctx) -> rs.getBoolean("has_dependents")).findOne();
    if (row.isEmpty()) {
      return;
    }
    recorded.add(job.id());
    if (JobState.PENDING.code().equals(state)) {
      dueLater.accept(runAt);
    }
    runs.add(writes.run(job, job.trigger(), pool.workerId(), o.started(), o.finished(), outcome,
        outcome == JobRun.Outcome.SNOOZED ? "snoozed for " + ((JobResult.Snooze) o.result()).delay() : error, null));
    if (row.get() && JobState.FAILED.code().equals(state)) {
      failedParents.add(job.id());
    }
  }

  /**
   * Gives {@code r}'s job back to the queue, due now, without counting the attempt, and records
   * the interrupted run; fenced by the claim's token, so a lost lease writes nothing.
   */
  void giveBack(Handle h, Running r, Instant now) {
    var update = h.createQuery(db.sql.get("settle"))
        .bind("id", r.job.id())
        .bind("token", r.job.leaseToken())
        .bind("state", JobState.PENDING.code())
        .bind("run_at", db.time(now))
        .bind("attempt_delta", -1)
        .bind("run_trigger", (String) null)
        .bind("error", r.job.lastError())
        .bind("now", db.time(now));
    db.bindTime(update, "finished_at", null);
    if (update.mapTo(Long.class).findOne().isPresent()) {
      writes.insertRuns(h, List.of(writes.run(r.job, r.job.trigger(), pool.workerId(), now, now,
          JobRun.Outcome.INTERRUPTED, "the worker pool shut down before the handler finished; the job was given back", null)));
    }
  }
}
