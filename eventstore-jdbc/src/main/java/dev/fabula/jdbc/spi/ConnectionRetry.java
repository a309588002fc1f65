package dev.fabula.jdbc.spi;

import dev.fabula.EventStoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Retries work that is safe to run again (a read, an append whose events carry their ids, a claim or
 * completion that checks its own lease) when the connection to the database fails: the server
 * restarting, a backend killed, a pooled connection gone stale, the pool unable to connect. Waits
 * between attempts grow exponentially from {@link #FIRST_WAIT} up to {@link #LONGEST_WAIT}, each
 * with random jitter ({@link Backoff}: many callers do not come back at once), and stop when the retry
 * window ({@code JdbcConfig.retryWindow}, 30 s by default) is over; then the last failure is thrown
 * as it was. Any other failure (a conflict, a constraint, a timeout of a statement or lock) is
 * thrown at once.
 *
 * <p>Never give it work that may have taken effect when it failed and would do it again: a
 * connection that fails during a commit leaves that commit in doubt. The event store settles that
 * for appends by their event ids; a module's write needs its own proof (a row that records it, a
 * lease token it checks) before it may be retried this way.
 *
 * <p>Components reach the store's policy through {@link ComponentDatabase#connectionRetry()}:
 *
 * <pre>{@code
 * List<Job> due = db.connectionRetry().call("reading due jobs", () -> db.read("reading due jobs", h -> ...));
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class ConnectionRetry {
  /** The wait after the first failure, before jitter. */
  public static final Duration FIRST_WAIT = Duration.ofMillis(50);
  /** The longest wait between two attempts, before jitter. */
  public static final Duration LONGEST_WAIT = Duration.ofSeconds(2);
  private static final Backoff BACKOFF = Backoff.of(FIRST_WAIT, LONGEST_WAIT);

  private final Duration window;
  private final Runnable onConnectionFailure;

  /**
   * @param window how long after the first failure attempts may still start ({@link Duration#ZERO}:
   *     never retry)
   * @param onConnectionFailure told of every connection failure before the wait (the store evicts
   *     its pool's idle connections, which are likely stale too); must not throw
   */
  public ConnectionRetry(Duration window, Runnable onConnectionFailure) {
    if (window == null || window.isNegative()) {
      throw new IllegalArgumentException("the retry window must be zero or more but was " + window);
    }
    this.window = window;
    this.onConnectionFailure = onConnectionFailure;
  }

  /** The retry window. */
  public Duration window() {
    return window;
  }

  /**
   * Runs {@code work}, again after each connection failure until the window is over.
   *
   * @param action what the work does, for the log
   * @return what the work returned
   * @throws RuntimeException the work's last failure, unchanged
   */
  public <T> T call(String action, Supplier<T> work) {
    Attempts attempts = start();
    while (true) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        if (!attempts.another(e)) {
          throw e;
        }
      }
    }
  }

  /** Starts counting attempts of one call: for loops that cannot be written as {@link #call}. */
  public Attempts start() {
    return new Attempts();
  }

  /** The attempts of one call, and when they must stop. Not thread-safe: one per call. */
  public final class Attempts {
    /** The window, counted from the first connection failure; null before it. */
    private Backoff.@Nullable Window tries;

    private Attempts() {}

    /**
     * Decides after a failure: when it is a connection failure and the window (counted from the
     * first one) leaves time, waits with jitter and returns {@code true} (run the work again);
     * otherwise returns {@code false} at once. An interrupt while waiting ends the retries, with
     * the thread's interrupt flag set again.
     */
    public boolean another(RuntimeException failure) {
      if (!isConnectionFailure(failure)) {
        return false;
      }
      onConnectionFailure.run();
      if (tries == null) {
        tries = BACKOFF.window(window);
      }
      Optional<Duration> pause = tries.next();
      return pause.isPresent() && Backoff.sleep(pause.get());
    }

    /** Whether the window still leaves time for another attempt (always, before a failure). */
    public boolean hasTime() {
      return tries == null || tries.hasTime();
    }

    /** The number of connection failures seen so far. */
    public int failures() {
      return tries == null ? 0 : tries.failures();
    }
  }

  /**
   * Whether {@code error} (raw or already translated into an {@link EventStoreException}) comes
   * from a lost or unobtainable connection: an SQLState of class {@code 08} (connection
   * exception) or {@code 57P01}–{@code 57P03} (server shutting down, crashed or starting) anywhere
   * in its causes or suppressed exceptions, as the PostgreSQL driver and HikariCP report them. A
   * pool that has no free connection because all are busy is not one: retrying would only add
   * load.
   */
  public static boolean isConnectionFailure(Throwable error) {
    return find(error, 0);
  }

  private static boolean find(Throwable t, int depth) {
    if (t == null || depth > 16) {
      return false;
    }
    if (t instanceof SQLException sql && connectionState(sql.getSQLState())) {
      return true;
    }
    for (Throwable s : t.getSuppressed()) {
      if (find(s, depth + 1)) {
        return true;
      }
    }
    return t.getCause() != t && find(t.getCause(), depth + 1);
  }

  private static boolean connectionState(String state) {
    return state != null
        && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
  }
}
