package dev.fabula;

/**
 * What an append wrote. A retried append (the same event ids again) returns the same result as the
 * first one.
 *
 * @param streamId the stream appended to
 * @param firstVersion the first appended event's stream version
 * @param lastVersion the last appended event's stream version: the stream's version after the append
 * @param firstPosition the first appended event's global position
 * @param lastPosition the last appended event's global position; positions of one batch increase
 *     but need not be contiguous
 */
public record AppendResult(
    String streamId, long firstVersion, long lastVersion, long firstPosition, long lastPosition) {}
