package dev.fabula.jdbc.spi;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.internal.ComponentDb;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Notifications between processes on one database (PostgreSQL's LISTEN/NOTIFY): the one listener
 * the store, projections and the scheduler share the mechanics of. On a database without them
 * (SQLite) {@link #available()} is false and {@link #listen} returns a subscription that never
 * fires: the in-process signal and polling serve there.
 *
 * <p>Notifications are hints, never the only path: a listener wakes a poller early, and a lost
 * notification only delays it until its next poll. Thread-safe.
 */
public interface Notifications {

  /** The notifications of {@code store}'s database. */
  static Notifications of(JdbcEventStore store) {
    return ComponentDb.notifications(store);
  }

  /** Whether other processes' notifications can be heard on this database. */
  boolean available();

  /**
   * The channel of a topic of this store's tables ({@code events}, {@code jobs}): a valid
   * identifier of at most 63 characters, readable up to a hash of the exact schema, table prefix and
   * topic, so that two stores of one database never share a channel, however long or alike their
   * names.
   */
  String channel(String topic);

  /**
   * Listens on {@code channel} from a dedicated connection on a daemon thread, calling {@code
   * onNotify} after each burst of notifications, and once after every (re)connect, since what was
   * sent while nobody listened is lost.
   *
   * <p>The connection is re-established when it fails, and also when it dies silently (a network
   * partition, a proxy dropping it): after {@code checkInterval} without a notification it is
   * tested, and replaced if the test fails. Failures are logged once per outage at WARN.
   *
   * @param dataSource where to take the connection from; null: a connection of its own opened with
   *     the store's URL and user, else one connection borrowed from the store's pool
   * @param threadName the listener thread's name, to find it in a thread dump
   */
  Subscription listen(String channel, Duration checkInterval, @Nullable DataSource dataSource, String threadName,
      Runnable onNotify);

  /** A running listener; closing it stops the thread and closes its connection. Closing twice is harmless. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
