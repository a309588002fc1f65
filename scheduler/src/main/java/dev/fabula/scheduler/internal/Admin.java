package dev.fabula.scheduler.internal;

import dev.fabula.InvalidInputException;
import dev.fabula.scheduler.ConcurrencyLimit;
import dev.fabula.scheduler.JobRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's levers: on one job (cancel, reschedule, retry) and on the whole queue (the kill
 * switch, paused queues, concurrency limits, kept in the controls table).
 *
 * <p>Each writes in a transaction of its own, then tells this process's pools at once ({@link
 * LocalPools}). Other processes' claims obey a control change at once, since the claim statements
 * read the controls table; a cancelled job's handler elsewhere is interrupted at its pool's next
 * lease renewal, and whatever it writes afterwards is fenced out. Thread-safe.
 */
final class Admin {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultJobQueue.class); // the queue's log, one name for its parts

  private final Db db;
  private final Writes writes;
  private final LocalPools pools;

  Admin(Db db, Writes writes, LocalPools pools) {
    this.db = db;
    this.writes = writes;
    this.pools = pools;
  }

  // ---- one job --------------------------------------------------------------------------------

  boolean cancel(long id) {
    Instant now = db.now();
    boolean cancelled = db.write("cancelling job " + id, h -> {
      Optional<Boolean> row = h.createQuery(db.sql.get("cancel"))
          .bind("id", id)
          .bind("now", db.time(now))
          .map((rs, ctx) -> rs.getBoolean("has_dependents"))
          .findOne();
      if (row.isPresent() && row.get()) {
        writes.failDependents(h, List.of(id), "was cancelled", now);
      }
      return row.isPresent();
    });
    if (cancelled) {
      pools.revoke(id);
    }
    return cancelled;
  }

  boolean reschedule(long id, Instant runAt) {
    if (runAt == null) {
      throw new InvalidInputException("runAt must not be null");
    }
    boolean moved = db.write("rescheduling job " + id, h -> h.createQuery(db.sql.get("reschedule"))
        .bind("id", id)
        .bind("run_at", db.time(runAt))
        .bind("now", db.time(db.now()))
        .mapTo(Long.class)
        .findOne()
        .isPresent());
    if (moved) {
      pools.wake();
    }
    return moved;
  }

  boolean retry(long id) {
    boolean queued = db.write("retrying job " + id, h -> h.createQuery(db.sql.get("retry"))
        .bind("id", id)
        .bind("now", db.time(db.now()))
        .mapTo(Long.class)
        .findOne()
        .isPresent());
    if (queued) {
      pools.wake();
    }
    return queued;
  }

  // ---- the whole queue ------------------------------------------------------------------------

  void pauseAll() {
    setPaused(ConcurrencyLimit.Scope.OVERALL, "*", true);
    LOG.warn("Kill switch ON: no process starts jobs or schedule occurrences until resumeAll()");
  }

  void resumeAll() {
    setPaused(ConcurrencyLimit.Scope.OVERALL, "*", false);
    LOG.info("Kill switch off: processing resumes");
  }

  void pauseQueue(String queue) {
    setPaused(ConcurrencyLimit.Scope.QUEUE, JobRequest.of("x").withQueue(queue).queue(), true);
  }

  void resumeQueue(String queue) {
    setPaused(ConcurrencyLimit.Scope.QUEUE, JobRequest.of("x").withQueue(queue).queue(), false);
  }

  private void setPaused(ConcurrencyLimit.Scope scope, String name, boolean paused) {
    db.write((paused ? "pausing " : "resuming ") + scope + " " + name, h -> h.createUpdate(db.sql.get("set_paused"))
        .bind("scope", scope.code())
        .bind("name", name)
        .bind("paused", paused)
        .bind("now", db.time(db.now()))
        .execute());
    pools.controlsChanged();
  }

  void setConcurrencyLimit(ConcurrencyLimit limit) {
    if (limit == null) {
      throw new InvalidInputException("limit must not be null");
    }
    setLimit(limit.scope(), limit.name(), limit.maxRunning());
  }

  void clearConcurrencyLimit(ConcurrencyLimit.Scope scope, String name) {
    if (scope == null) {
      throw new InvalidInputException("scope must not be null");
    }
    setLimit(scope, name, null);
  }

  private void setLimit(ConcurrencyLimit.Scope scope, String name, @Nullable Integer max) {
    db.write("setting the concurrency limit of " + scope + " " + name, h -> h.createUpdate(db.sql.get("set_limit"))
        .bind("scope", scope.code())
        .bind("name", name)
        .bind("max_running", max)
        .bind("now", db.time(db.now()))
        .execute());
    pools.controlsChanged();
  }
}
