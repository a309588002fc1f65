package dev.fabula.jdbc.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs work that must only read on a connection the database itself keeps from writing, so that a
 * helper documented as read-only stays so whatever query it is given (a parity check's, a status
 * report's). Works on any {@link Jdbi}, a store's or a legacy database's:
 *
 * <ul>
 *   <li><b>PostgreSQL:</b> a transaction begun {@code READ ONLY} ({@code SET TRANSACTION READ
 *       ONLY}); a write fails with SQLState {@code 25006}. The transaction is rolled back at the
 *       end: there is nothing to keep.
 *   <li><b>SQLite:</b> {@code PRAGMA query_only} on the connection for the duration of the work
 *       (statements in auto-commit, since the store's connections begin transactions {@code
 *       IMMEDIATE}, which would take the write lock); a write fails with {@code SQLITE_READONLY}.
 *   <li><b>Others:</b> {@link Connection#setReadOnly} and a transaction rolled back at the end.
 * </ul>
 *
 * <p>The connection is returned as it was found. {@link #refusedWrite} tells a refused write from
 * other failures, for a message that says what to change. Stateless.
 */
public final class ReadOnly {
  private ReadOnly() {}

  /** Runs {@code work} on a handle of {@code jdbi} that the database keeps from writing. */
  public static <T, X extends Exception> T run(Jdbi jdbi, HandleCallback<T, X> work) throws X {
    return jdbi.withHandle(h -> run(h, work));
  }

  /**
   * Runs {@code work} on {@code h}, kept from writing for the duration; {@code h} must be outside a
   * transaction.
   */
  public static <T, X extends Exception> T run(Handle h, HandleCallback<T, X> work) throws X {
    Connection c = h.getConnection();
    String product = product(c);
    if ("SQLite".equalsIgnoreCase(product)) {
      execute(c, "PRAGMA query_only = ON");
      try {
        return work.withHandle(h);
      } finally {
        execute(c, "PRAGMA query_only = OFF");
      }
    }
    boolean wasReadOnly = readOnly(c);
    setReadOnly(c, true);
    h.begin();
    try {
      if ("PostgreSQL".equalsIgnoreCase(product)) {
        execute(c, "SET TRANSACTION READ ONLY");
      }
      return work.withHandle(h);
    } finally {
      h.rollback();
      setReadOnly(c, wasReadOnly);
    }
  }

  /**
   * Whether {@code error} (or a cause) is the database refusing a write in read-only work:
   * PostgreSQL's SQLState {@code 25006}, SQLite's {@code SQLITE_READONLY}, or a driver's
   * "read-only" refusal.
   */
  public static boolean refusedWrite(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if ("25006".equals(e.getSQLState()) || message.contains("sqlite_readonly") || message.contains("read-only")
            || message.contains("readonly database")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String product(Connection c) {
    try {
      return c.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new org.jdbi.v3.core.ConnectionException(e);
    }
  }

  private static boolean readOnly(Connection c) {
    try {
      return c.isReadOnly();
    } catch (SQLException e) {
      throw new org.jdbi.v3.core.ConnectionException(e);
    }
  }

  private static void setReadOnly(Connection c, boolean value) {
    try {
      c.setReadOnly(value);
    } catch (SQLException e) {
      throw new org.jdbi.v3.core.ConnectionException(e);
    }
  }

  private static void execute(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new org.jdbi.v3.core.ConnectionException(e);
    }
  }
}
