package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventStoreException;
import dev.fabula.spi.PreparedAppend;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import dev.fabula.jdbc.spi.Dialect;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the store runs work on the database: transactions under the dialect's write lock (retried
 * after a transient failure only for the store's own stand-alone writes, which can safely run
 * again), reads on a pooled handle, and the translation of every database error by the dialect.
 * After a commit that appended, the append listeners hear the last position, on the committing
 * thread.
 *
 * <p>With row-level security on ({@link dev.fabula.jdbc.JdbcConfig#rowLevelSecurity()}), every
 * transaction first sets its tenant ({@code set_tenant.sql}, transaction-local), and tenant reads
 * ({@link #read}) run in a short transaction that sets it too; off, nothing is set and reads run
 * outside a transaction as before. Thread-safe.
 */
final class UnitsOfWork {
  private static final Logger LOG = LoggerFactory.getLogger(UnitsOfWork.class);
  /** Attempts of a stand-alone write that fails transiently. */
  static final int MAX_ATTEMPTS = 5;

  private final StoreContext store;
  private final Appender appender;
  /** How a transaction sets its tenant for the policies; null when row-level security is off. */
  private final JdbcTransaction.@Nullable TenantSetting tenantSetting;
  private final List<LongConsumer> appendListeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  UnitsOfWork(StoreContext store, Appender appender, boolean rowLevelSecurity) {
    this.store = store;
    this.appender = appender;
    if (rowLevelSecurity && !store.sql().has("set_tenant")) {
      throw new EventStoreException("row-level security (JdbcConfig.withRowLevelSecurity(true)) needs PostgreSQL; the "
          + store.dialect().name() + " dialect has no roles or policies: open the store without it");
    }
    this.tenantSetting = rowLevelSecurity ? this::setTenant : null;
  }

  /** Sets {@code fabula.tenant_id} for the rest of the handle's open transaction (see set_tenant.sql). */
  private void setTenant(org.jdbi.v3.core.Handle h, @Nullable String tenant) {
    h.createQuery(store.sql().get("set_tenant")).bind("tenant_id", Dialect.tenantKey(tenant)).mapTo(String.class).one();
  }

  /** Work on an open transaction of the store. */
  interface Work<R, X extends Exception> {
    R run(JdbcTransaction tx) throws X;
  }

  /**
   * Runs {@code work} in a transaction under the dialect's write lock; {@code retry} only for the
   * store's own stand-alone writes. Jdbi failures come out translated.
   */
  <R, X extends Exception> R transaction(@Nullable String tenant, Work<R, X> work, boolean retry, String action) throws X {
    checkOpen();
    checkNotNested();
    Lock lock = store.dialect().writeLock();
    for (int attempt = 1; ; attempt++) {
      JdbcTransaction[] tx = new JdbcTransaction[1];
      lock.lock();
      R result;
      try {
        result = store.jdbi().inTransaction(handle -> {
          if (tenantSetting != null) {
            tenantSetting.set(handle, tenant);
          }
          tx[0] = new JdbcTransaction(store.config(), appender, handle, tenant, tenantSetting);
          try {
            return work.run(tx[0]);
          } finally {
            tx[0].close();
          }
        });
      } catch (JdbiException e) {
        if (retry && attempt < MAX_ATTEMPTS && store.dialect().isRetryable(e)) {
          LOG.debug("Retrying a transient failure (attempt {}): {}", attempt, e.getMessage());
          continue;
        }
        throw store.dialect().translate(e, action);
      } finally {
        lock.unlock();
      }
      appended(tx[0] == null ? 0 : tx[0].lastPosition());
      return result;
    }
  }

  /** One single-stream append in a transaction of its own (retried when transient). */
  AppendResult appendAlone(@Nullable String tenant, PreparedAppend append) {
    return transaction(tenant, tx -> tx.appendPrepared(List.of(append)), true, "appending to stream '" + append.streamId() + "'")
        .get(0);
  }

  /**
   * Several single-stream appends of {@link GroupCommit} in one transaction, one statement each; a
   * request whose expectation fails gets its error and writes nothing. Throws only when the
   * transaction as a whole failed.
   */
  void appendCombined(List<GroupCommit.Request> batch) {
    Lock lock = store.dialect().writeLock();
    lock.lock();
    long last;
    try {
      last = store.jdbi().inTransaction(handle -> {
        Instant now = store.now();
        long max = 0;
        for (GroupCommit.Request r : batch) {
          try {
            AppendResult result = appender.appendOne(handle, r.tenant, r.append, now).result();
            r.succeed(result);
            max = Math.max(max, result.lastPosition());
          } catch (EventStoreException e) {
            r.fail(e);
          }
        }
        return max;
      });
    } catch (RuntimeException | Error e) {
      batch.forEach(GroupCommit.Request::reset); // rolled back: the results set inside did not commit
      throw e;
    } finally {
      lock.unlock();
    }
    appended(last);
  }

  /**
   * Tells the append listeners of a commit that appended up to {@code last} (0: none). The append
   * has committed, so a listener's failure is logged at ERROR and the others are still told; only
   * a fatal error ({@link Errors#fatal}) is rethrown, after that.
   */
  void appended(long last) {
    if (last <= 0) {
      return;
    }
    Error fatal = null;
    for (LongConsumer l : appendListeners) {
      try {
        l.accept(last);
      } catch (Throwable e) {
        LOG.error("An append listener failed after a commit up to position {} ({}); the append stands", last,
            e.toString(), e);
        if (Errors.fatal(e)) {
          fatal = (Error) e;
        }
      }
    }
    if (fatal != null) {
      throw fatal;
    }
  }

  /** Adds a listener of commits that appended; see {@link dev.fabula.jdbc.JdbcEventStore#onAppend}. */
  Runnable onAppend(LongConsumer listener) {
    appendListeners.add(listener);
    return () -> appendListeners.remove(listener);
  }

  /** Runs reads on a pooled handle outside a transaction. */
  <T> T withHandle(String action, HandleCallback<T, RuntimeException> work) {
    checkOpen();
    try {
      return store.jdbi().withHandle(work);
    } catch (EventStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw store.dialect().translate(e, action);
    }
  }

  /**
   * Runs reads of {@code tenant}'s namespace (null: the unconfined store's): on a pooled handle
   * outside a transaction, or, with row-level security on, in a short transaction that sets the
   * tenant first.
   */
  <T> T read(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> work) {
    if (tenantSetting == null) {
      return withHandle(action, work);
    }
    return withHandle(action, h -> h.inTransaction(inTx -> {
      tenantSetting.set(inTx, tenant);
      return work.withHandle(inTx);
    }));
  }

  /** On a one-writer database a second transaction on this thread would wait for itself. */
  void checkNotNested() {
    if (store.dialect().writeLock() instanceof ReentrantLock reentrant && reentrant.isHeldByCurrentThread()) {
      throw new EventStoreException(
          "this thread is already inside inTransaction; append through the Transaction it received (the "
              + "modules take it too, as in JobQueue.enqueue(tx, request)), not through the store ("
              + store.dialect().name() + " has one writer at a time)");
    }
  }

  void checkOpen() {
    if (closed) {
      throw new EventStoreException("the event store is closed; open a new one");
    }
  }

  void close() {
    closed = true;
  }
}
