package dev.fabula;

/**
 * What an append wrote. A retried append (the same event ids again, with the same content) returns
 * the same versions and positions as the first one, with {@link #replayed()} {@code true}, so that
 * a caller (a saga, an outbox) can tell "written now" from "written by an earlier call" without
 * bookkeeping of its own.
 *
 * @param streamId the stream appended to
 * @param firstVersion the first appended event's stream version
 * @param lastVersion the last appended event's stream version: the stream's version after the append
 * @param firstPosition the first appended event's global position
 * @param lastPosition the last appended event's global position; positions of one batch increase
 *     but need not be contiguous
 * @param replayed whether the events were already stored when this call began, by an earlier call
 *     with the same event ids (the call then wrote nothing). {@code false} when this call stored
 *     them, including when the store lost its connection while committing and then found the events
 *     stored by that commit: a store that cannot tell which of two calls with the same ids stored
 *     them (the earlier one having ended with {@link AppendOutcomeUnknownException}) says {@code
 *     false}, the answer that call's caller never received
 */
public record AppendResult(
    String streamId, long firstVersion, long lastVersion, long firstPosition, long lastPosition, boolean replayed) {

  /** A result of events this call stored ({@link #replayed()} {@code false}). */
  public AppendResult(String streamId, long firstVersion, long lastVersion, long firstPosition, long lastPosition) {
    this(streamId, firstVersion, lastVersion, firstPosition, lastPosition, false);
  }

  /** Returns a copy with another {@link #replayed()}. */
  public AppendResult withReplayed(boolean value) {
    return value == replayed ? this : new AppendResult(streamId, firstVersion, lastVersion, firstPosition, lastPosition, value);
  }
}
