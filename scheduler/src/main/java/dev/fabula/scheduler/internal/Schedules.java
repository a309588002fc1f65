package dev.fabula.scheduler.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fabula.InvalidInputException;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.Schedule;
import dev.fabula.scheduler.ScheduleInfo;
import dev.fabula.scheduler.JobQueueConfig;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule definitions: defining (idempotently: the same definition again changes nothing),
 * removing and listing schedules, and their history. Turning due occurrences into jobs is {@link
 * ScheduleRunner}'s part, in the worker pools. Thread-safe.
 */
final class Schedules {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultJobQueue.class); // the queue's log, one name for its parts

  private final Db db;
  private final Rows rows;
  private final JobQueueConfig config;
  private final LocalPools pools;

  Schedules(Db db, Rows rows, JobQueueConfig config, LocalPools pools) {
    this.db = db;
    this.rows = rows;
    this.config = config;
    this.pools = pools;
  }

  ScheduleInfo schedule(@Nullable String name, Schedule schedule, JobRequest job) {
    String scheduleName = JobRequest.of(name == null ? "" : name).type();
    if (schedule == null || job == null) {
      throw new InvalidInputException("schedule '" + scheduleName + "' needs a schedule and a job");
    }
    if (job.runAt() != null || job.delay() != null || job.uniqueKey() != null || job.parentId() != null) {
      throw new InvalidInputException("the job of schedule '" + scheduleName
          + "' must not set a run time, delay, unique key or parent: the schedule decides when it runs");
    }
    int maxAttempts = job.maxAttempts() != null ? job.maxAttempts() : config.retryPolicy(job.type()).maxAttempts();
    JobRequest template = job.withMaxAttempts(maxAttempts);
    Instant now = db.now();
    ScheduleInfo stored = db.write("defining schedule '" + scheduleName + "'", h -> {
      Optional<ScheduleInfo> existing = h.createQuery(db.sql.get("get_schedule")).bind("name", scheduleName).map(rows.schedule).findOne();
      if (existing.isPresent() && existing.get().schedule().equals(schedule) && sameJob(existing.get().job(), template)) {
        return existing.get();
      }
      Instant next = schedule.firstAt(now).orElse(null);
      var upsert = h.createUpdate(db.sql.get("upsert_schedule"))
          .bind("name", scheduleName)
          .bind("job_type", template.type())
          .bind("queue", template.queue())
          .bind("payload", template.payload())
          .bind("priority", template.priority().value())
          .bind("max_attempts", maxAttempts)
          .bind("recurrence_kind", schedule.recurrence().kind())
          .bind("recurrence", schedule.recurrence().text())
          .bind("zone", schedule.zone().getId())
          .bind("missed_policy", schedule.missedRuns().kind().name())
          .bind("missed_cap", schedule.missedRuns().cap())
          .bind("dst_policy", schedule.dstPolicy().name())
          .bind("lateness_ms", schedule.latenessLimit() == null ? null : schedule.latenessLimit().toMillis())
          .bind("now", db.time(now));
      db.bindTime(upsert, "next_run_at", next);
      upsert.execute();
      LOG.info("Schedule '{}' {}: {} in {}, next run {}", scheduleName, existing.isPresent() ? "changed" : "created",
          schedule.recurrence(), schedule.zone(), next);
      return new ScheduleInfo(scheduleName, schedule, template, next, existing.map(ScheduleInfo::lastScheduledFor).orElse(null),
          existing.map(ScheduleInfo::paused).orElse(false));
    });
    pools.wake();
    return stored;
  }

  private static boolean sameJob(JobRequest a, JobRequest b) {
    try {
      return a.type().equals(b.type()) && a.queue().equals(b.queue()) && a.priority().equals(b.priority())
          && Objects.equals(a.maxAttempts(), b.maxAttempts())
          && Db.JSON.readTree(a.payload()).equals(Db.JSON.readTree(b.payload()));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  boolean unschedule(String name) {
    return db.write("removing schedule '" + name + "'",
        h -> h.createUpdate(db.sql.get("delete_schedule")).bind("name", name).execute() > 0);
  }

  boolean setPaused(String name, boolean paused) {
    boolean found = db.write((paused ? "pausing" : "resuming") + " schedule '" + name + "'",
        h -> h.createUpdate(db.sql.get("set_schedule_paused")).bind("name", name).bind("paused", paused).execute() > 0);
    if (found) {
      LOG.info("Schedule '{}' {}", name, paused ? "paused: it makes no jobs until resumed" : "resumed");
      pools.wake();
    }
    return found;
  }

  List<ScheduleInfo> schedules() {
    return db.read("listing schedules", h -> h.createQuery(db.sql.get("list_schedules")).map(rows.schedule).list());
  }

  List<JobRun> scheduleHistory(String name) {
    return db.read("reading the history of schedule '" + name + "'",
        h -> h.createQuery(db.sql.get("schedule_runs")).bind("schedule_name", name).map(rows.run).list());
  }
}
