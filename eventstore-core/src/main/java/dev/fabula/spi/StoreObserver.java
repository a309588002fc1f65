package dev.fabula.spi;

import dev.fabula.EventStoreException;

/**
 * Hears how a store's appends went, for metrics: the hook the {@code fabula-metrics} module counts
 * and times appends with. Register one on a JDBC store with {@code JdbcEventStore.observe}.
 *
 * <p><b>What is observed.</b> {@link #appended} and {@link #appendFailed} hear every stand-alone
 * append ({@code EventStore.append} and {@code appendAll}, which commit on their own), once per
 * call, after it committed or failed, with the time the call took in the backend (validation and
 * serialisation, which run before, are not timed; input they reject never reaches the backend).
 * Appends inside a unit of work ({@code inTransaction}) are not: they commit with the caller's
 * other writes. {@link #replayed} hears every stream append, stand-alone or in a unit of work,
 * whose events were found stored already (an idempotent retry: nothing written). {@link
 * #streamRead} and {@link #logPageRead} hear reads that returned (a failed read is not heard), and
 * {@link #groupCommitted} each shared commit of a one-writer database (SQLite).
 *
 * <p><b>Contract.</b> Methods are called on the appending thread, so keep them fast: increment a
 * counter, record a time. They must not call back into the store. An exception an observer throws
 * is logged and ignored (the append's outcome stands); a fatal error ({@code OutOfMemoryError}) is
 * rethrown after the other observers heard the append. Every method has a no-op default, so the
 * interface can grow. Implementations must be thread-safe.
 */
public interface StoreObserver {

  /**
   * A stand-alone append committed (or found all its events stored: a retry returns the first
   * append's result).
   *
   * @param streams how many streams the call appended to (1 for {@code append})
   * @param events how many events it carried, over all its streams
   * @param elapsedNanos how long the call took in the backend, in nanoseconds
   */
  default void appended(int streams, int events, long elapsedNanos) {}

  /**
   * A stand-alone append failed: nothing of it was written (or, for a failure during the commit,
   * it is in doubt, as the exception says).
   *
   * @param streams how many streams the call appended to
   * @param events how many events it carried
   * @param elapsedNanos how long the call took in the backend, in nanoseconds
   * @param failure what it failed with: a {@link dev.fabula.ConcurrencyException} for a conflict
   */
  default void appendFailed(int streams, int events, long elapsedNanos, EventStoreException failure) {}

  /**
   * One stream's append found its events stored already, so wrote nothing (an idempotent retry).
   * Inside a unit of work this is heard when found, even if the unit of work then rolls back.
   *
   * @param events how many events the stream's append carried
   */
  default void replayed(int events) {}

  /**
   * A read of one stream ({@code readStream}) returned.
   *
   * @param events how many events it returned
   * @param elapsedNanos how long it took in the backend, in nanoseconds
   */
  default void streamRead(int events, long elapsedNanos) {}

  /**
   * One page of a read of the global log ({@code readAll}, and the projections' reads) returned: a
   * read of the log is a sequence of pages, each one query.
   *
   * @param events how many events the page held
   * @param elapsedNanos how long the page's query took, in nanoseconds
   */
  default void logPageRead(int events, long elapsedNanos) {}

  /**
   * A one-writer database (SQLite) ran a batch of concurrent stand-alone appends together (group
   * commit): heard once per batch, 1 when an append ran alone.
   *
   * @param appends how many appends shared the batch
   */
  default void groupCommitted(int appends) {}
}
