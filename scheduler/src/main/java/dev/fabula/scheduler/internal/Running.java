package dev.fabula.scheduler.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fabula.EventTypes;
import dev.fabula.InvalidInputException;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.Trigger;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One claimed job in a worker pool, from the claim until its outcome is written; also the
 * handler's {@link JobContext}. The pool renews its lease while it is held.
 */
final class Running implements JobContext {
  final Job job;
  private final Db db;
  /** Set when the lease was found lost (renewal failed, cancelled); the handler is interrupted. */
  volatile boolean lost;
  /** Set when shutdown gave the job back; its outcome is not written. */
  volatile boolean released;
  /** The thread running the handler, null before and after; guarded by this. */
  private @Nullable Thread thread;

  Running(Job job, Db db) {
    this.job = job;
    this.db = db;
  }

  synchronized void started(Thread t) {
    thread = t;
  }

  /** Clears the handler thread and any interrupt meant for this job. */
  synchronized void finished() {
    thread = null;
    Thread.interrupted();
  }

  synchronized boolean isRunning() {
    return thread != null;
  }

  /** Interrupts the handler if it is still running this job. */
  synchronized void interrupt() {
    if (thread != null) {
      thread.interrupt();
    }
  }

  @Override
  public long jobId() {
    return job.id();
  }

  @Override
  public String type() {
    return job.type();
  }

  @Override
  public String queue() {
    return job.queue();
  }

  @Override
  public String payload() {
    return job.payload();
  }

  @Override
  public java.util.Map<String, String> headers() {
    return job.headers();
  }

  @Override
  public @Nullable String tenantId() {
    return job.tenantId();
  }

  @Override
  public <T> T payload(Class<T> type) {
    try {
      return EventTypes.defaultMapper().readValue(job.payload(), type);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("the payload of job " + job.id() + " does not fit " + type.getName() + ": " + e.getOriginalMessage());
    }
  }

  @Override
  public int attempt() {
    return job.attempt();
  }

  @Override
  public int maxAttempts() {
    return job.maxAttempts();
  }

  @Override
  public Trigger trigger() {
    return job.trigger();
  }

  @Override
  public Optional<Long> parentId() {
    return Optional.ofNullable(job.parentId());
  }

  @Override
  public Optional<Instant> scheduledFor() {
    return Optional.ofNullable(job.scheduledFor());
  }

  @Override
  public long fencingToken() {
    return job.leaseToken();
  }

  @Override
  public Clock clock() {
    return db.clock;
  }

  @Override
  public boolean stillOwnsLease() {
    if (lost || released) {
      return false;
    }
    boolean owns = db.read("checking the lease of job " + job.id(), h -> h.createQuery(db.sql.get("owns_lease"))
        .bind("id", job.id())
        .bind("token", job.leaseToken())
        .bind("now", db.time(db.now()))
        .mapTo(Long.class)
        .one() > 0);
    if (!owns) {
      lost = true;
    }
    return owns;
  }
}
