package dev.fabula.scheduler;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A job as stored: its request, where it is in its life, and its latest attempt. A snapshot;
 * read it again with {@link JobQueue#job(long)} to see changes.
 *
 * @param id the job's id
 * @param queue its queue
 * @param type its type
 * @param payload its input, as JSON (PostgreSQL may have normalised spacing and key order)
 * @param priority its priority
 * @param state where it is
 * @param runAt when it is due (for a finished job: when it last was)
 * @param attempt attempts started so far
 * @param maxAttempts attempts allowed in all
 * @param trigger why its next (or latest) attempt runs
 * @param uniqueKey its unique key, or null; unique among the unfinished jobs of its type and tenant
 * @param tenantId the tenant whose unit of work enqueued it ({@code tx.forTenant(t)}), or null
 * @param parentId the job it waits for, or null
 * @param scheduleName the schedule that made it, or null
 * @param scheduledFor the schedule occurrence it runs for, or null
 * @param leaseOwner the worker that holds (or last held) it, or null
 * @param leaseUntil while running: when its lease expires unless renewed; else null
 * @param claimedAt when its latest attempt was claimed, or null before the first
 * @param leaseToken the fencing token of its latest claim (0 before the first)
 * @param lastError the error of its latest failed attempt (or why it was failed or cancelled)
 * @param output the JSON its handler returned on success, or null
 * @param createdAt when it was enqueued
 * @param finishedAt when it finished, or null
 * @param headers entries stamped on it when it was enqueued by the store's {@link
 *     dev.fabula.spi.MetadataEnricher} (such as the W3C trace context of the enqueuing unit of
 *     work, with {@code fabula-tracing}); empty when there were none
 */
public record Job(
    long id,
    String queue,
    String type,
    String payload,
    Priority priority,
    JobState state,
    Instant runAt,
    int attempt,
    int maxAttempts,
    Trigger trigger,
    @Nullable String uniqueKey,
    @Nullable String tenantId,
    @Nullable Long parentId,
    @Nullable String scheduleName,
    @Nullable Instant scheduledFor,
    @Nullable String leaseOwner,
    @Nullable Instant leaseUntil,
    @Nullable Instant claimedAt,
    long leaseToken,
    @Nullable String lastError,
    @Nullable String output,
    Instant createdAt,
    @Nullable Instant finishedAt,
    java.util.Map<String, String> headers) {

  /** Copies the headers into an immutable, sorted map. */
  public Job {
    headers = headers == null || headers.isEmpty()
        ? java.util.Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(headers));
  }
}
