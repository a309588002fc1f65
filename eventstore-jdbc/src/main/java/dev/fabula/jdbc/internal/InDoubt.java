package dev.fabula.jdbc.internal;

import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.EventStoreException;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.spi.Backoff;
import dev.fabula.jdbc.spi.ConnectionRetry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.HandleCallback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles a commit in doubt: a transaction that appended lost its connection during (or right
 * after) its COMMIT, so it may have committed or not. On a fresh connection, within the retry
 * window, this waits until the failed session has ended (PostgreSQL: its backend is gone from
 * {@code pg_stat_activity} or idle; only then is the answer final, since a session cut off from
 * its client may still be finishing the commit) and looks the transaction's events up by their ids
 * in their tenant's namespace: all there means committed, none there means not committed. When the
 * database stays out of reach for the whole window it throws {@link
 * AppendOutcomeUnknownException}, which tells the caller to retry with the same ids.
 *
 * <p>Checks are spaced by a jittered backoff from 50 ms up to 1 s. Thread-safe.
 */
final class InDoubt {
  private static final Logger LOG = LoggerFactory.getLogger(InDoubt.class);
  /** The waits between look-ups. */
  private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1));

  /** Reads of a tenant's namespace, with the tenant set when row-level security is on. */
  interface Reads {
    <T> T read(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> work);
  }

  private final StoreContext store;
  private final Reads reads;
  private final Duration window;

  InDoubt(StoreContext store, Reads reads, Duration window) {
    this.store = store;
    this.reads = reads;
    this.window = window;
  }

  /**
   * Finds out whether the events {@code ids} of {@code tenant}'s namespace committed.
   *
   * @param session the failed connection's server session (backend process id), null if unknown
   *     or not PostgreSQL
   * @param allIds every id the caller should reuse, for the exception (at least {@code ids})
   * @param failure the commit's failure, the cause of any exception
   * @return the stored events (all of {@code ids}: committed), or empty (not committed)
   * @throws AppendOutcomeUnknownException when the window ends before an answer
   */
  List<RecordedEvent> stored(
      @Nullable String tenant, @Nullable Integer session, List<UUID> ids, List<UUID> allIds, String action,
      RuntimeException failure) {
    LOG.warn("The connection failed while committing ({}): {}; looking for its {} event(s) on a fresh connection",
        action, failure.getMessage(), ids.size());
    Backoff.Window tries = BACKOFF.window(window);
    String lastReason = "the database did not answer";
    while (true) {
      try {
        Optional<List<RecordedEvent>> found = reads.read(tenant, "looking for the events of " + action, h -> {
          if (session != null && store.sql().has("session_busy")
              && h.createQuery(store.sql().get("session_busy")).bind("pid", session).mapTo(Boolean.class).one()) {
            return Optional.empty();
          }
          return Optional.of(store.dialect().findEvents(h, store.sql(), tenant, ids));
        });
        if (found.isPresent()) {
          return settle(found.get(), ids, action);
        }
        lastReason = "the failed session (server process " + session + ") was still busy";
      } catch (EventStoreException e) {
        if (!ConnectionRetry.isConnectionFailure(e)
            && !(e instanceof dev.fabula.StoreUnavailableException)) {
          throw e;
        }
        lastReason = e.getMessage();
      }
      Optional<Duration> pause = tries.next();
      if (pause.isEmpty()) {
        throw new AppendOutcomeUnknownException(action, allIds, "the store could not find out within " + window
            + " (JdbcConfig.retryWindow): " + lastReason, failure);
      }
      if (!Backoff.sleep(pause.get())) {
        throw new AppendOutcomeUnknownException(action, allIds, "the thread was interrupted while the store looked "
            + "for the events", failure);
      }
    }
  }

  private static List<RecordedEvent> settle(List<RecordedEvent> found, List<UUID> ids, String action) {
    if (found.isEmpty()) {
      LOG.warn("The commit of {} did not land: none of its events is stored", action);
      return found;
    }
    if (found.size() != ids.size()) {
      throw new EventStoreException("after a connection failure while committing " + action + ", " + found.size()
          + " of its " + ids.size() + " events are stored, which one transaction cannot leave: were rows changed by hand?");
    }
    LOG.warn("The commit of {} landed: its events are stored", action);
    return found;
  }
}
