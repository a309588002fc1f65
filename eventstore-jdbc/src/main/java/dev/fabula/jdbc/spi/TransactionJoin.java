package dev.fabula.jdbc.spi;

import java.sql.Connection;
import java.util.Optional;

/**
 * Lets a store opened on a caller's {@link javax.sql.DataSource} take part in transactions that
 * someone else owns, such as a framework's ({@code fabula-spring-boot-autoconfigure} supplies one
 * for Spring's {@code @Transactional}). Give it to {@link
 * dev.fabula.jdbc.JdbcEventStore#open(javax.sql.DataSource, dev.fabula.EventStoreConfig,
 * dev.fabula.jdbc.JdbcConfig, TransactionJoin)}.
 *
 * <p>Before each unit of work and each append the store asks {@link #current()}. Empty: it runs
 * its own transaction as always (retries, the settlement of a commit in doubt, listeners after its
 * commit). Present: it runs the work once on the {@linkplain Borrowed#connection() borrowed
 * connection}, inside the owner's transaction, and
 *
 * <ul>
 *   <li>never commits, rolls back or closes that connection: it hands it back with {@link
 *       Borrowed#release()};
 *   <li>retries nothing and settles nothing: the owner commits, so a failed commit is the owner's
 *       to report (the events are stored exactly when the owner's commit succeeded);
 *   <li>marks the owner's transaction {@linkplain Borrowed#setRollbackOnly() rollback-only} when
 *       the work fails, since a half-done unit of work must not commit with the rest;
 *   <li>tells its append listeners (projection runners, NOTIFY) only {@linkplain
 *       Borrowed#afterCommit(Runnable) after the owner's commit}, never after a rollback;
 *   <li>on a one-writer database (SQLite) takes no lock of the store's: the owner's transaction
 *       holds the database's write lock from its start (immediate transactions) until it ends, and
 *       the store's other writers wait for it in the database's busy handler, for up to the busy
 *       timeout. (Waiting for the store's lock inside the owner's transaction would deadlock with
 *       a store writer that holds it and waits for the database.)
 * </ul>
 *
 * <p>PostgreSQL's advisory locks (the stream locks and the read fence of the global log) are
 * transaction-scoped, so they are held until the owner's transaction ends: readers of the global
 * log wait for a long-running owner's transaction before they read past its events. Keep such
 * transactions short.
 *
 * <p>Implementations must be thread-safe; {@link #current()} is called on the thread that runs the
 * work, and the callbacks it registers must run on that thread too (as Spring's transaction
 * synchronizations do).
 */
@FunctionalInterface
public interface TransactionJoin {
  /** The store always runs its own transactions: the default. */
  TransactionJoin NONE = Optional::empty;

  /**
   * The transaction, owned by someone else, that the calling thread is inside on the store's data
   * source; empty when there is none (the store then runs a transaction of its own). The store
   * may ask only to decide how to run (and drop the answer), so take nothing that must be given
   * back before {@link Borrowed#connection()} is called; after it, the store calls {@link
   * Borrowed#release()} once.
   */
  Optional<Borrowed> current();

  /** A connection borrowed, for one unit of work, from a transaction someone else owns. */
  interface Borrowed {
    /** The connection of the owner's transaction (auto-commit off). Never commit, roll back or close it. */
    Connection connection();

    /** Runs {@code action} after the owner's transaction commits; never after a rollback. */
    void afterCommit(Runnable action);

    /** Runs {@code action} once the owner's transaction has ended, committed or rolled back. */
    void afterCompletion(Runnable action);

    /** Makes sure the owner's transaction rolls back: a unit of work in it failed part-way. */
    void setRollbackOnly();

    /** Hands the connection back after the unit of work; does not end the owner's transaction. */
    void release();
  }
}
