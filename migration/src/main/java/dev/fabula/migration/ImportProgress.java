package dev.fabula.migration;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where a running import stands, after a batch.
 *
 * @param name the import's name
 * @param rowsDone rows read in this pass, including those done before a resume
 * @param rowsTotal the source's row count when it was counted at the start, or -1
 * @param rowsPerSecond rows per second in this run so far
 * @param estimatedRemaining time left at the current rate, or null when unknown
 */
public record ImportProgress(String name, long rowsDone, long rowsTotal, double rowsPerSecond, @Nullable Duration estimatedRemaining) {}
