package dev.fabula.projections;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An appending transaction that has not ended yet and holds back the head of the log (PostgreSQL):
 * no reader sees any position from {@link #fromPosition} on until it commits or rolls back. A
 * transaction that stays open long (a slow request that appends, then waits) delays every
 * projection; this says which session it is.
 *
 * @param pid the PostgreSQL backend process id ({@code pg_stat_activity.pid})
 * @param fromPosition the first position it may still commit
 * @param since when its transaction began, if PostgreSQL shows it
 * @param applicationName its session's {@code application_name}, if shown
 * @param sessionState its session's state ({@code active}, {@code idle in transaction}…), if shown
 */
public record InFlightTransaction(
    int pid, long fromPosition, @Nullable Instant since, @Nullable String applicationName, @Nullable String sessionState) {}
