package dev.fabula.scheduler.internal;

import dev.fabula.EventStoreException;
import dev.fabula.InvalidInputException;
import dev.fabula.Transaction;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.Trigger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Puts jobs in the queue: the caller's (through {@code JobQueue.enqueue}) and the schedules'
 * occurrences (through {@link ScheduleRunner}).
 *
 * <p>An enqueue is one INSERT … ON CONFLICT DO NOTHING on the caller's handle (a unique key or a
 * schedule occurrence that already has a job inserts nothing, and the existing job is read back).
 * A dependent job first locks its parent row (mark_parent.sql), so a parent finishing at the same
 * time either sees the dependent or is seen by it; it waits for its parent, or is pending at once
 * if the parent already finished the way it waits for. This process's pools are woken after the
 * caller's commit ({@code Handle.afterCommit}); other processes by NOTIFY on PostgreSQL, sent by
 * the insert when the job is due now. Thread-safe.
 */
final class Enqueuer {
  /** What an insert did: the job, and whether it is new. */
  record Inserted(Job job, boolean created) {}

  private final Db db;
  private final Rows rows;
  private final JobQueueConfig config;
  private final LocalPools pools;

  Enqueuer(Db db, Rows rows, JobQueueConfig config, LocalPools pools) {
    this.db = db;
    this.rows = rows;
    this.config = config;
    this.pools = pools;
  }

  /** Enqueues {@code request} in the caller's transaction. */
  Job enqueue(Transaction tx, JobRequest request) {
    if (tx == null || request == null) {
      throw new InvalidInputException("enqueue needs a transaction and a request");
    }
    Handle h = tx.unwrap(Handle.class);
    try {
      Inserted result = insert(h, request, tx.tenantId(), Trigger.MANUAL, null, null);
      if (result.created() && result.job().state() == JobState.PENDING) {
        Job job = result.job();
        if (job.runAt().isAfter(job.createdAt())) {
          h.afterCommit(() -> pools.dueAt(job.runAt())); // the pools wake when it is due, not at their next poll
        } else {
          h.afterCommit(pools::wake);
        }
      }
      return result.job();
    } catch (RuntimeException e) {
      throw db.translate(e, "enqueueing a '" + request.type() + "' job");
    }
  }

  /** Enqueues {@code request} in a transaction of its own. */
  Job enqueue(JobRequest request) {
    return db.store.inTransaction(tx -> enqueue(tx, request));
  }

  /**
   * The headers of a job enqueued now, on this thread: what the store's metadata enricher stamps
   * on an event appended here (the trace context with {@code fabula-tracing}), so a job continues
   * the work that enqueued it as its events do. Empty without an enricher.
   */
  private java.util.Map<String, String> headers() {
    dev.fabula.spi.MetadataEnricher enricher = db.store.config().metadataEnricher();
    if (enricher == dev.fabula.spi.MetadataEnricher.NONE) {
      return java.util.Map.of();
    }
    dev.fabula.Metadata stamped = enricher.enrich(dev.fabula.Metadata.EMPTY);
    return stamped == null ? java.util.Map.of() : stamped.entries();
  }

  /**
   * Inserts a job of {@code tenantId} (null: no tenant) on {@code h}; for a schedule occurrence
   * that already has a job, returns null. A tenant's job may wait only for a job of its own, and
   * its unique key is its own: another tenant's job reads as no job at all.
   */
  @Nullable Inserted insert(Handle h, JobRequest r, @Nullable String tenantId, Trigger trigger,
      @Nullable String scheduleName, @Nullable Instant scheduledFor) {
    String tenant = Dialect.tenantKey(tenantId);
    Instant now = db.now(h);
    Instant runAt = r.runAt() != null ? r.runAt() : r.delay() != null ? now.plus(r.delay()) : now;
    runAt = runAt.truncatedTo(ChronoUnit.MICROS);
    JobState state = JobState.PENDING;
    if (r.parentId() != null) {
      Optional<String> parent = h.createQuery(db.sql.get("mark_parent")).bind("parent_id", r.parentId())
          .bind("tenant_id", tenantId).mapTo(String.class).findOne();
      if (parent.isEmpty()) {
        throw new InvalidInputException("parent job " + r.parentId() + " of a '" + r.type() + "' job does not exist");
      }
      JobState parentState = JobState.ofCode(parent.get());
      boolean parentFailed = parentState == JobState.FAILED || parentState == JobState.CANCELLED;
      if (r.onParentFailure() && parentState == JobState.SUCCEEDED) {
        throw new InvalidInputException("parent job " + r.parentId() + " has succeeded, so a '" + r.type()
            + "' job compensating for its failure would never run");
      }
      if (!r.onParentFailure() && parentFailed) {
        throw new InvalidInputException("parent job " + r.parentId() + " has " + (parentState == JobState.FAILED ? "failed" : "been cancelled")
            + ", so a '" + r.type() + "' job waiting for it would never run");
      }
      state = parentState.isFinished() ? JobState.PENDING : JobState.WAITING;
      trigger = Trigger.DEPENDENT;
    }
    int maxAttempts = r.maxAttempts() != null ? r.maxAttempts() : config.retryPolicy(r.type()).maxAttempts();
    boolean due = state == JobState.PENDING && !runAt.isAfter(now);
    java.util.Map<String, String> headers = headers();
    for (int attempt = 1; attempt <= 3; attempt++) {
      var insert = h.createQuery(db.sql.get("enqueue"))
          .bind("queue", r.queue())
          .bind("job_type", r.type())
          .bind("payload", r.payload())
          .bind("priority", r.priority().value())
          .bind("state", state.code())
          .bind("run_at", db.time(runAt))
          .bind("max_attempts", maxAttempts)
          .bind("run_trigger", trigger.code())
          .bind("unique_key", r.uniqueKey())
          .bind("tenant_id", tenant)
          .bind("parent_id", r.parentId())
          .bind("on_parent_failure", r.onParentFailure())
          .bind("schedule_name", scheduleName)
          .bind("headers", headers.isEmpty() ? null : dev.fabula.jdbc.spi.ComponentDatabase.json(headers))
          .bind("now", db.time(now))
          .bind("notify", due)
          .bind("channel", db.channel);
      db.bindTime(insert, "scheduled_for", scheduledFor);
      Optional<Long> id = insert.mapTo(Long.class).findOne();
      if (id.isPresent()) {
        Job job = new Job(id.get(), r.queue(), r.type(), r.payload(), r.priority(), state, runAt, 0, maxAttempts, trigger,
            r.uniqueKey(), Dialect.tenantOf(tenant), r.parentId(), scheduleName, scheduledFor, null, null, null, 0, null, null, now, null, headers);
        return new Inserted(job, true);
      }
      if (scheduleName != null && r.uniqueKey() == null) {
        return null;
      }
      if (r.uniqueKey() != null) {
        Optional<Job> holder = h.createQuery(db.sql.get("find_unique"))
            .bind("job_type", r.type())
            .bind("unique_key", r.uniqueKey())
            .bind("tenant_id", tenant)
            .map(rows.job)
            .findOne();
        if (holder.isPresent()) {
          return new Inserted(holder.get(), false);
        }
      }
    }
    throw new EventStoreException("could not enqueue a '" + r.type() + "' job with unique key '" + r.uniqueKey()
        + "': the job holding the key kept finishing and reappearing; retry");
  }
}
