package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreException;
import dev.fabula.StoreUnavailableException;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What SQLite's file-level failures mean to the caller: a store opened read-only, a file the
 * process may not write, a full disk, an I/O error. Stateless.
 */
final class SqliteFileErrors {
  private SqliteFileErrors() {}

  /**
   * The read-only parameter of a SQLite URL, or null: sqlite-jdbc's {@code open_mode} with the
   * read-only flag (1) and without read-write (2), or the URI filename's {@code mode=ro} or {@code
   * immutable=1}.
   */
  static @Nullable String readOnlyParameter(String url) {
    int query = url.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String parameter : url.substring(query + 1).split("&")) {
      String p = parameter.toLowerCase(java.util.Locale.ROOT);
      if (p.equals("mode=ro") || p.equals("immutable=1")) {
        return parameter;
      }
      if (p.startsWith("open_mode=")) {
        try {
          int flags = Integer.parseInt(p.substring("open_mode=".length()));
          if ((flags & 1) != 0 && (flags & 2) == 0) {
            return parameter;
          }
        } catch (NumberFormatException e) {
          return null; // the driver reports it
        }
      }
    }
    return null;
  }

  /**
   * A refused write: on a store opened read-only, an error that says so (retrying cannot help);
   * else the file is read-only to this process, which an operator can fix, so retryable.
   */
  static EventStoreException readOnly(@Nullable String by, SQLiteException e, String action, Exception error) {
    if (by != null) {
      return new EventStoreException("this store was opened read-only (" + by + "), so it cannot write while "
          + action + "; reads work, and nothing was written. To write, open the store on a writable URL or data source",
          error);
    }
    return new StoreUnavailableException("the SQLite file is read-only to this process while " + action + " ("
        + e.getResultCode().name() + "): its permissions, its folder's, a read-only mount or an immutable attribute keep "
        + "SQLite from writing it, and nothing was written. Make the file, its -wal and -shm files and its folder "
        + "writable for this process, then retry; to read only, open it with ?open_mode=1", error);
  }

  /**
   * A full database ({@code SQLITE_FULL}: the disk, or {@code PRAGMA max_page_count}) or an I/O
   * error: retryable once an operator has made room or fixed the disk. SQLite rolls back the
   * transaction a full database stops, so nothing of it is stored.
   */
  static EventStoreException diskError(SQLiteErrorCode code, String action, Exception error) {
    if (code == SQLiteErrorCode.SQLITE_FULL) {
      return new StoreUnavailableException(
          "the SQLite database is full while " + action + ": the disk holding it has no space left, or the database "
              + "reached its PRAGMA max_page_count; the transaction was rolled back, so nothing of it was stored. "
              + "Free disk space, then retry", error);
    }
    return new StoreUnavailableException(
        "SQLite could not read or write its file while " + action + " (" + code.name() + "): the disk may be "
            + "full, failing or gone (an unmounted volume); check it, then retry", error);
  }
}
