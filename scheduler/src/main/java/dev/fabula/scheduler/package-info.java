/**
 * A database-backed job queue with priorities, recurring schedules and exponential-backoff
 * retries, on the event store's database. Start with {@link dev.fabula.scheduler.JobQueue#open}.
 */
@NullMarked
package dev.fabula.scheduler;

import org.jspecify.annotations.NullMarked;
