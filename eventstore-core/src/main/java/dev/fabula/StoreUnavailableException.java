package dev.fabula;

/**
 * The database could not be reached or stayed busy for too long (a lost connection, a server
 * restarting, a statement or lock timeout, a SQLite file locked by another process past the busy
 * timeout). Retry later.
 *
 * <p>Whether the operation took effect: reads never change anything. An append (also {@code
 * appendAll}, and a unit of work that appended) that fails with this exception did <em>not</em>
 * commit: the store either failed before the commit or, when the connection failed during the
 * commit, checked by the events' ids that they are not stored; a retry is safe, with the same
 * event ids or new ones. When the store cannot find that out, it throws {@link
 * AppendOutcomeUnknownException} instead, which asks for a retry with the same ids. A unit of work
 * that appended nothing and lost its connection while committing has no ids to look up: its
 * message then says that the outcome is unknown.
 */
public class StoreUnavailableException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
