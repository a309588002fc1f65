package dev.fabula;

import java.util.List;
import java.util.UUID;

/**
 * An append (or a unit of work that appended) lost its connection while committing, and the store
 * could not reach the database in time to find out whether the commit landed: the events may be
 * stored or not. The store first tries, on a fresh connection and for a bounded time (on JDBC
 * stores {@code JdbcConfig.retryWindow}), to look the events up by their ids; this exception means
 * that failed too.
 *
 * <p>What to do: retry later with the <strong>same event ids</strong> ({@link #eventIds()}; simply
 * the same {@link EventData} objects). A retry with the same ids is safe either way: if the first
 * commit landed, the retry writes nothing and returns its result with {@link
 * AppendResult#replayed()} {@code true}; if not, the retry writes the events. A retry with fresh ids
 * (rebuilding the events, re-running a command that creates new ones) may store them twice.
 *
 * <p>Deliberately not a {@link StoreUnavailableException}: code that handles that one by running
 * the whole operation again, with new events, must not catch this one without meaning to.
 */
public class AppendOutcomeUnknownException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  private final List<UUID> eventIds;

  /**
   * Creates the exception.
   *
   * @param action what the store was doing ("appending to stream 'cart-1'")
   * @param eventIds the ids of the events whose commit is in doubt
   * @param why why the store could not find out (the last failure, in words)
   * @param cause the failure of the commit
   */
  public AppendOutcomeUnknownException(String action, List<UUID> eventIds, String why, Throwable cause) {
    super("the outcome of " + action + " is unknown: the connection failed while committing and " + why
        + ". The events may or may not be stored. Retry with the SAME event ids (the same EventData objects; "
        + eventIds.size() + " event(s), the first " + (eventIds.isEmpty() ? "-" : eventIds.get(0)) + "), never with "
        + "fresh ones: if the first commit landed, the retry writes nothing and returns AppendResult.replayed() "
        + "true; with fresh ids the events may be stored twice", cause);
    this.eventIds = List.copyOf(eventIds);
  }

  /** The ids of the events whose commit is in doubt, in the order they were appended. */
  public List<UUID> eventIds() {
    return eventIds;
  }
}
