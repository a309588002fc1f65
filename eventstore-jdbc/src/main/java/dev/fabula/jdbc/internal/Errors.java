package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreException;
import dev.fabula.StoreUnavailableException;
import org.jspecify.annotations.Nullable;

/** Helpers for the dialects' error translation, and what counts as fatal. */
final class Errors {
  private Errors() {}

  /** The first exception of {@code type} in {@code error}'s cause chain, or null. */
  static <T extends Throwable> @Nullable T cause(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * A privilege the database role lacks (PostgreSQL's 42501), with what to grant: the hard-delete
   * function's EXECUTE when that was refused, else the application role's grants.
   */
  static EventStoreException permissionDenied(String action, @Nullable String message, Throwable error) {
    String advice = message != null && message.contains("hard_delete_stream")
        ? "Hard deletes run through the function <prefix>hard_delete_stream, owned by the schema's owner: grant "
            + "EXECUTE on it to the roles that may erase streams, or erase as such a role"
        : "Grant the role the privileges of the application role, or run this as the schema's owner (migrations)";
    return new EventStoreException("the database role may not do this while " + action + " (" + message + "). "
        + advice + "; see docs/postgresql.md, \"Roles and grants\"", error);
  }

  /**
   * A statement cancelled by the store's statement timeout (57014) or a lock wait ended by its lock
   * timeout (55P03): the transaction rolled back, so a retry is safe.
   */
  static StoreUnavailableException timedOut(boolean lock, String action, String detail, Throwable error) {
    String limit = lock ? "lock_timeout (JdbcConfig.withLockTimeout)" : "statement_timeout (JdbcConfig.withStatementTimeout)";
    return new StoreUnavailableException("PostgreSQL gave up while " + action + " (" + detail + "): it ran past " + limit
        + ". Its transaction was rolled back; retry, look for a long transaction holding locks (pg_stat_activity), "
        + "or raise the limit", error);
  }
}
