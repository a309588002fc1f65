package dev.fabula;

import java.time.Instant;

/**
 * Events that retention took out of the global log: a stream's versions {@code fromVersion ..
 * toVersion}, which had positions between {@code firstPosition} and {@code lastPosition} (other
 * streams' events in between stay). Every removal is recorded, so that a log reader behind it is
 * told ({@link TruncatedRangeException}) rather than skipping it without knowing.
 *
 * @param removalId the removal's number: removals are numbered in the order they were made, per
 *     store; a reader that has handled every removal up to one reads on with {@link
 *     LogQuery#acceptRemovalsThrough}
 * @param streamId the stream, in the reader's tenant namespace
 * @param kind truncated (gone for good) or archived (in cold storage, {@link Retention#readArchived})
 * @param fromVersion the first removed version
 * @param toVersion the last removed version
 * @param firstPosition the smallest removed position
 * @param lastPosition the largest removed position
 * @param eventCount how many events were removed
 * @param removedAt when (the store's clock)
 */
public record RemovedRange(
    long removalId, String streamId, Kind kind, long fromVersion, long toVersion, long firstPosition, long lastPosition,
    long eventCount, Instant removedAt) {

  /** Why the events left the log. */
  public enum Kind {
    /** Truncated by a retention rule: gone for good. */
    TRUNCATED,
    /** Archived: moved to cold storage, readable with {@link Retention#readArchived}, back with {@link Retention#unarchive}. */
    ARCHIVED
  }

  /** A short description for messages: stream, versions, positions, kind. */
  public String describe() {
    return "stream '" + streamId + "' versions " + fromVersion + "-" + toVersion + " (" + eventCount + " event(s) between positions "
        + firstPosition + " and " + lastPosition + ", " + kind.name().toLowerCase(java.util.Locale.ROOT) + " at " + removedAt
        + ", removal " + removalId + ")";
  }
}
