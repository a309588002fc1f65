package dev.fabula.jdbc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for notifications on a PostgreSQL JDBC connection without the driver's millisecond after
 * each one. {@code PGConnection.getNotifications(timeout)}, once it has read a notification, asks
 * whether another message is pending by blocking on the socket for 1 ms ({@code
 * PGStream.hasMessagePending}, which remembers a peek that found nothing but not one that timed
 * out), so every listener woke at least a millisecond after the notification had arrived. For the
 * duration of the call the stream is told it peeked a moment ago, so only what is already buffered
 * counts as pending, and a notification that arrives later wakes the next call; the stream's own
 * value is put back afterwards, so a connection handed back to a pool behaves as the driver made it.
 *
 * <p>The driver's internals are reached by reflection. Where they are not there (another driver
 * version) or not reachable, {@link #available()} is false and the wait is the driver's own: a
 * millisecond later, nothing else. Only the thread that owns the connection calls it.
 */
final class PgNotificationWait {
  private static final Logger LOG = LoggerFactory.getLogger(PgNotificationWait.class);
  private static final @Nullable VarHandle STREAM = handle(QueryExecutorBase.class, "pgStream", PGStream.class);
  private static final @Nullable VarHandle NEXT_PEEK = handle(PGStream.class, "nextStreamAvailableCheckTime", long.class);

  private PgNotificationWait() {}

  /** Whether the driver's peek after each notification is skipped (false: the driver's own wait). */
  static boolean available() {
    return STREAM != null && NEXT_PEEK != null;
  }

  /**
   * Waits up to {@code timeoutMillis} for notifications on {@code connection}, which listens.
   *
   * @return whether at least one arrived
   */
  static boolean await(Connection connection, int timeoutMillis) throws SQLException {
    PGStream stream = available() ? stream(connection) : null;
    if (stream == null) {
      return received(connection.unwrap(PGConnection.class).getNotifications(timeoutMillis));
    }
    long own = (long) NEXT_PEEK.get(stream);
    NEXT_PEEK.set(stream, Long.MAX_VALUE);
    try {
      return received(connection.unwrap(PGConnection.class).getNotifications(timeoutMillis));
    } finally {
      NEXT_PEEK.set(stream, own);
    }
  }

  /** The stream's own time of its next peek, for tests: what {@link #await} puts back. */
  static long nextPeek(Connection connection) throws SQLException {
    PGStream stream = stream(connection);
    if (stream == null || NEXT_PEEK == null) {
      throw new IllegalStateException("the driver's internals are not reachable");
    }
    return (long) NEXT_PEEK.get(stream);
  }

  private static boolean received(PGNotification @Nullable [] notifications) {
    return notifications != null && notifications.length > 0;
  }

  private static @Nullable PGStream stream(Connection connection) throws SQLException {
    Object executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
    return STREAM != null && executor instanceof QueryExecutorBase ? (PGStream) STREAM.get(executor) : null;
  }

  private static @Nullable VarHandle handle(Class<?> owner, String field, Class<?> type) {
    try {
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, field, type);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("PostgreSQL listeners wait as the driver does (a millisecond after each notification): {}", e.toString());
      return null;
    }
  }
}
