package dev.fabula.scheduler;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * One attempt of a job, as its handler sees it. Valid while the handler runs, on any thread.
 */
public interface JobContext {

  /** The job's id. */
  long jobId();

  /** The job's type. */
  String type();

  /** The job's queue. */
  String queue();

  /** The payload as JSON text. */
  String payload();

  /**
   * The job's headers ({@link Job#headers()}): what the store's metadata enricher stamped on it
   * when it was enqueued, such as the enqueuing unit of work's trace context; empty when none.
   */
  default java.util.Map<String, String> headers() {
    return java.util.Map.of();
  }

  /**
   * The tenant whose unit of work enqueued the job ({@code queue.enqueue(tx.forTenant(t), …)}), or
   * null for a job of no tenant (enqueued through the unconfined store, or by a schedule). Act for
   * it through {@code store.forTenant(tenantId)}.
   */
  @org.jspecify.annotations.Nullable String tenantId();

  /**
   * The payload read as {@code type} with the event store's default Jackson mapper.
   *
   * @throws dev.fabula.InvalidInputException if it does not fit; the attempt then fails
   */
  <T> T payload(Class<T> type);

  /** This attempt's number, from 1. */
  int attempt();

  /** The attempts allowed in all; {@code attempt() == maxAttempts()} is the last. */
  int maxAttempts();

  /** Why this attempt runs. */
  Trigger trigger();

  /** The parent job of a dependent job. */
  Optional<Long> parentId();

  /** The schedule occurrence this attempt runs for, for jobs made by a schedule. */
  Optional<Instant> scheduledFor();

  /** The fencing token of this claim; a downstream system may record it to refuse stale writers. */
  long fencingToken();

  /**
   * The application's clock ({@link JobQueueConfig#clock}), for the handler's own use. Leases, due
   * times and retries run on the scheduler's time ({@link JobQueueConfig#time}) instead.
   */
  Clock clock();

  /**
   * Whether this worker still holds the job's lease, checked in the database now: false once the
   * lease expired, the job was cancelled, or another worker took it over. Call it right before a
   * side effect that must not happen twice. A worker that lost its lease records nothing.
   */
  boolean stillOwnsLease();
}
