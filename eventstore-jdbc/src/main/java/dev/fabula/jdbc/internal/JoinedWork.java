package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreException;
import dev.fabula.jdbc.spi.TransactionJoin;
import java.util.concurrent.locks.Lock;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * Units of work that run inside a transaction someone else owns ({@link TransactionJoin}): once,
 * on the borrowed connection, which this class never commits, rolls back or closes. A failure marks
 * the owner's transaction rollback-only; the append listeners hear of the work's events after the
 * owner's commit; on a one-writer database the write lock is held until the owner's transaction
 * completes (released by the completion callback, on the owner's thread). Thread-safe.
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
    Lock lock = store.dialect().writeLock();
    lock.lock();
    try {
      borrowed.afterCompletion(lock::unlock);
    } catch (RuntimeException | Error e) {
      lock.unlock();
      throw e;
    }
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
