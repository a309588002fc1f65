package dev.fabula.scheduler.internal;

import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.MissedRunPolicy;
import dev.fabula.scheduler.DstPolicy;
import dev.fabula.scheduler.Priority;
import dev.fabula.scheduler.Schedule;
import dev.fabula.scheduler.ScheduleInfo;
import dev.fabula.scheduler.Trigger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import org.jdbi.v3.core.mapper.RowMapper;

/** Reads the scheduler's rows, by column name (the column lists are in the statement files). */
final class Rows {
  private final Db db;

  Rows(Db db) {
    this.db = db;
  }

  /** A job from the job column list. */
  final RowMapper<Job> job = this::job;

  /** A history entry from the history column list. */
  final RowMapper<JobRun> run = this::run;

  /** A schedule from the schedule column list. */
  final RowMapper<ScheduleInfo> schedule = this::schedule;

  private Job job(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
    return new Job(
        rs.getLong("id"),
        rs.getString("queue"),
        rs.getString("job_type"),
        rs.getString("payload"),
        new Priority(rs.getInt("priority")),
        JobState.ofCode(rs.getString("state")),
        db.readTime(rs, "run_at"),
        rs.getInt("attempt"),
        rs.getInt("max_attempts"),
        Trigger.ofCode(rs.getString("run_trigger")),
        rs.getString("unique_key"),
        Dialect.tenantOf(rs.getString("tenant_id")),
        Db.readLong(rs, "parent_id"),
        rs.getString("schedule_name"),
        db.readTime(rs, "scheduled_for"),
        rs.getString("lease_owner"),
        db.readTime(rs, "lease_until"),
        db.readTime(rs, "claimed_at"),
        rs.getLong("lease_token"),
        rs.getString("last_error"),
        rs.getString("output"),
        db.readTime(rs, "created_at"),
        db.readTime(rs, "finished_at"),
        headers(rs.getString("headers")));
  }

  private static final com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>> HEADERS =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private static java.util.Map<String, String> headers(@org.jspecify.annotations.Nullable String json) {
    return json == null ? java.util.Map.of() : dev.fabula.jdbc.spi.ComponentDatabase.fromJson(json, HEADERS);
  }

  private JobRun run(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
    return new JobRun(
        rs.getLong("id"),
        Db.readLong(rs, "job_id"),
        rs.getString("job_type"),
        rs.getString("queue"),
        rs.getInt("attempt"),
        Trigger.ofCode(rs.getString("run_trigger")),
        Db.readLong(rs, "parent_id"),
        rs.getString("schedule_name"),
        db.readTime(rs, "scheduled_for"),
        rs.getString("worker"),
        db.readTime(rs, "started_at"),
        db.readTime(rs, "finished_at"),
        rs.getLong("duration_ms"),
        JobRun.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
        rs.getString("error"),
        rs.getString("output"));
  }

  private ScheduleInfo schedule(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
    Long latenessMs = Db.readLong(rs, "lateness_ms");
    MissedRunPolicy.Kind kind = MissedRunPolicy.Kind.valueOf(rs.getString("missed_policy"));
    Schedule schedule = new Schedule(
        Schedule.parse(rs.getString("recurrence_kind"), rs.getString("recurrence")),
        ZoneId.of(rs.getString("zone")),
        new MissedRunPolicy(kind, rs.getInt("missed_cap")),
        DstPolicy.valueOf(rs.getString("dst_policy")),
        latenessMs == null ? null : Duration.ofMillis(latenessMs));
    JobRequest job = JobRequest.of(rs.getString("job_type"))
        .withPayload(rs.getString("payload"))
        .withQueue(rs.getString("queue"))
        .withPriority(new Priority(rs.getInt("priority")))
        .withMaxAttempts(rs.getInt("max_attempts"));
    return new ScheduleInfo(rs.getString("name"), schedule, job, db.readTime(rs, "next_run_at"), db.readTime(rs, "last_scheduled_for"),
        rs.getBoolean("paused"));
  }
}
