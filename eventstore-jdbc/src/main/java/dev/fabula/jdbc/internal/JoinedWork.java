package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreException;
import dev.fabula.jdbc.spi.TransactionJoin;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * Units of work that run inside a transaction someone else owns ({@link TransactionJoin}): once,
 * on the borrowed connection, which this class never commits, rolls back or closes. A failure marks
 * the owner's transaction rollback-only; the append listeners hear of the work's events after the
 * owner's commit. On a one-writer database (SQLite) the owner's transaction holds the database's
 * write lock from its start to its end, so the store's own writers wait for it there, and this class
 * takes no lock of its own (see {@link #run}). Thread-safe.
 */
final class JoinedWork {
  private final StoreContext store;
  private final Appender appender;
  private final PoolConnections connections;
  private final JdbcTransaction.@Nullable TenantSetting tenantSetting;
  private final LongConsumer appended;

  JoinedWork(StoreContext store, Appender appender, PoolConnections connections,
      JdbcTransaction.@Nullable TenantSetting tenantSetting, LongConsumer appended) {
    this.store = store;
    this.appender = appender;
    this.connections = connections;
    this.tenantSetting = tenantSetting;
    this.appended = appended;
  }

  /** Runs {@code work} in the owner's transaction {@code borrowed}; see the class comment. */
  <R, X extends Exception> R run(TransactionJoin.Borrowed borrowed, @Nullable String tenant, UnitsOfWork.Work<R, X> work,
      String action) throws X {
    // No store write lock here: on a one-writer database the owner's connection took the
    // database's write lock when its transaction began (immediate transactions), before this
    // unit was called. Waiting now for the store's lock, which the store's own writers take
    // before they wait for the database's, would deadlock both until the busy timeout; they
    // wait in SQLite's busy handler for the owner's commit instead.
    boolean done = false;
    try {
      JdbcTransaction[] opened = new JdbcTransaction[1];
      R result = connections.onBorrowed(borrowed.connection(), () -> {
        try (Handle handle = store.jdbi().open()) {
          if (tenantSetting != null) {
            tenantSetting.set(handle, tenant);
          }
          JdbcTransaction tx = new JdbcTransaction(store.config(), appender, handle, tenant, tenantSetting);
          opened[0] = tx;
          try {
            return work.run(tx);
          } finally {
            tx.close();
          }
        }
      });
      long last = opened[0].lastPosition();
      if (last > 0) {
        borrowed.afterCommit(() -> appended.accept(last));
      }
      done = true;
      return result;
    } catch (JdbiException | EventStoreException e) {
      throw store.dialect().translate(e, action);
    } finally {
      try {
        if (!done) {
          borrowed.setRollbackOnly();
        }
      } finally {
        borrowed.release();
      }
    }
  }
}
