package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventStoreException;
import dev.fabula.RecordedEvent;
import dev.fabula.StoreUnavailableException;
import dev.fabula.internal.Fatal;
import dev.fabula.jdbc.spi.ConnectionRetry;
import dev.fabula.jdbc.spi.TransactionJoin;
import java.util.Optional;
import dev.fabula.spi.PreparedAppend;
import dev.fabula.spi.PreparedEvent;
import java.util.List;
import java.util.UUID;
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
 * <p>Lost connections: reads and stand-alone appends (idempotent: their events carry ids) are
 * retried within the retry window ({@link ConnectionRetry}); a transaction whose connection fails
 * while committing is settled by its events' ids ({@link InDoubt}), never by running the caller's
 * work again.
 *
 * <p>With row-level security on ({@link dev.fabula.jdbc.JdbcConfig#rowLevelSecurity()}), every
 * transaction first sets its tenant ({@code set_tenant.sql}, transaction-local), and tenant reads
 * ({@link #read}) run in a short transaction that sets it too; off, nothing is set and reads run
 * outside a transaction as before.
 *
 * <p>Inside a transaction someone else owns ({@link TransactionJoin}), transactions and appends
 * run once in it ({@link JoinedWork}): no retries, no settlement, listeners after the owner's
 * commit. Reads never join: they see committed events only. Thread-safe.
 */
final class UnitsOfWork {
  private static final Logger LOG = LoggerFactory.getLogger(UnitsOfWork.class);
  /** Attempts of a stand-alone write that fails transiently. */
  static final int MAX_ATTEMPTS = 5;

  private final StoreContext store;
  private final Appender appender;
  /** Retries of idempotent work after a lost connection. */
  private final ConnectionRetry retry;
  private final InDoubt inDoubt;
  /** How a transaction sets its tenant for the policies; null when row-level security is off. */
  private final JdbcTransaction.@Nullable TenantSetting tenantSetting;
  private final List<LongConsumer> appendListeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** Finds a transaction someone else owns that this thread is in. */
  private final TransactionJoin join;
  /** Runs work in such a transaction. */
  private final JoinedWork joined;

  UnitsOfWork(StoreContext store, Appender appender, boolean rowLevelSecurity, ConnectionRetry retry, TransactionJoin join,
      PoolConnections connections) {
    this.store = store;
    this.join = join;
    this.appender = appender;
    this.retry = retry;
    this.inDoubt = new InDoubt(store, this::readOnce, retry.window());
    if (rowLevelSecurity && !store.sql().has("set_tenant")) {
      throw new EventStoreException("row-level security (JdbcConfig.withRowLevelSecurity(true)) needs PostgreSQL; the "
          + store.dialect().name() + " dialect has no roles or policies: open the store without it");
    }
    this.tenantSetting = rowLevelSecurity ? this::setTenant : null;
    this.joined = new JoinedWork(store, appender, connections, tenantSetting, this::appended);
  }

  /** Whether this thread is in a transaction someone else owns, which the store's work joins. */
  boolean joining() {
    return join != TransactionJoin.NONE && join.current().isPresent();
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
   * Runs {@code work} in a transaction under the dialect's write lock. Jdbi failures come out
   * translated. A transaction whose connection fails while committing is settled by its events'
   * ids ({@link InDoubt}): it returns {@code work}'s result when they are stored, fails with {@link
   * StoreUnavailableException} when they are not, and with {@link
   * dev.fabula.AppendOutcomeUnknownException} when the store cannot find out in time. A lost
   * connection is never retried; a transient failure (deadlock, serialisation) only with {@code
   * retryTransient}, for the store's own writes, which can safely run again.
   */
  <R, X extends Exception> R transaction(@Nullable String tenant, Work<R, X> work, boolean retryTransient, String action)
      throws X {
    checkOpen();
    Optional<TransactionJoin.Borrowed> borrowed = join.current();
    if (borrowed.isPresent()) {
      return joined.run(borrowed.get(), tenant, work, action);
    }
    checkNotNested();
    for (int n = 1; ; n++) {
      Attempt<R> attempt = new Attempt<>();
      try {
        return attempt.run(tenant, work);
      } catch (JdbiException | EventStoreException e) {
        if (attempt.done && ConnectionRetry.isConnectionFailure(e)) {
          return settle(attempt, action, e);
        }
        if (retryTransient && e instanceof JdbiException && n < MAX_ATTEMPTS && store.dialect().isRetryable(e)) {
          LOG.debug("Retrying a transient failure (attempt {}): {}", n, e.getMessage());
          continue;
        }
        throw store.dialect().translate(e, action);
      }
    }
  }

  /** The result of a unit of work whose commit was in doubt, once its events are found stored. */
  private <R> R settle(Attempt<R> attempt, String action, RuntimeException e) {
    JdbcTransaction.Written written = attempt.tx.written();
    if (written == null) {
      throw new StoreUnavailableException("the connection failed while committing (" + action + "): "
          + e.getMessage() + ". Whether the transaction committed is unknown: it appended no events the store "
          + "could look up; check its effects before running it again", e);
    }
    if (inDoubt.stored(written.tenant(), attempt.session, written.firstIds(), written.allIds(), action, e).isEmpty()) {
      throw new StoreUnavailableException("the connection failed while committing (" + action + "): " + e.getMessage()
          + "; the transaction did not commit (its events are not stored, checked on a fresh connection). "
          + "Retry it", e);
    }
    appended(attempt.tx.lastPosition());
    return attempt.result;
  }

  /**
   * Appends in a transaction of their own, idempotently by the events' ids: a transient failure
   * (deadlock, serialisation, an id race) runs the append again up to {@link #MAX_ATTEMPTS} times,
   * a lost connection within the retry window; a commit in doubt is settled by the ids ({@link
   * InDoubt}): stored, its results are returned ({@code replayed} false: this call wrote them); not
   * stored, the append runs again.
   */
  List<AppendResult> append(@Nullable String tenant, List<PreparedAppend> appends, String action) {
    checkOpen();
    Optional<TransactionJoin.Borrowed> borrowed = join.current();
    if (borrowed.isPresent()) {
      return joined.run(borrowed.get(), tenant, tx -> tx.appendPrepared(appends), action);
    }
    checkNotNested();
    ConnectionRetry.Attempts connections = retry.start();
    for (int attempt = 1; ; attempt++) {
      Attempt<List<AppendResult>> a = new Attempt<>();
      try {
        return a.run(tenant, tx -> tx.appendPrepared(appends));
      } catch (JdbiException | EventStoreException e) {
        if (a.done && ConnectionRetry.isConnectionFailure(e)) {
          List<AppendResult> settled = settle(tenant, appends, a, action, e);
          if (settled != null) {
            return settled;
          }
          if (connections.another(e)) {
            continue; // not committed: run it again, within the retry window
          }
          throw new StoreUnavailableException("the connection failed while committing (" + action + ") and the "
              + "append did not commit (its events are not stored, checked on a fresh connection); the retry window "
              + "is over: retry later", e);
        }
        if (e instanceof JdbiException && attempt < MAX_ATTEMPTS && store.dialect().isRetryable(e)) {
          LOG.debug("Retrying a transient failure (attempt {}): {}", attempt, e.getMessage());
          continue;
        }
        if (connections.another(e)) {
          LOG.debug("Retrying {} after a connection failure: {}", action, e.getMessage());
          continue;
        }
        throw store.dialect().translate(e, action);
      }
    }
  }

  /** The results of an append whose commit was in doubt, or null when it did not commit. */
  private @Nullable List<AppendResult> settle(
      @Nullable String tenant, List<PreparedAppend> appends, Attempt<List<AppendResult>> a, String action, RuntimeException e) {
    if (a.result.stream().allMatch(AppendResult::replayed)) {
      return a.result; // it wrote nothing: its commit changed nothing either way
    }
    List<UUID> ids = appends.stream().flatMap(p -> p.events().stream()).map(PreparedEvent::eventId).toList();
    List<RecordedEvent> stored = inDoubt.stored(tenant, a.session, ids, ids, action, e);
    if (stored.isEmpty()) {
      return null;
    }
    List<AppendResult> results = appends.stream().map(p -> p.replayedFrom(stored).withReplayed(false)).toList();
    appended(results.stream().mapToLong(AppendResult::lastPosition).max().orElse(0));
    return results;
  }

  /** One run of a transaction, and what is known of it when it fails. */
  private final class Attempt<R> {
    @Nullable JdbcTransaction tx;
    /** Whether the work returned: a failure after that struck the commit. */
    boolean done;
    @Nullable R result;
    /** The server session of the attempt's connection (PostgreSQL), to wait for its end. */
    @Nullable Integer session;

    <X extends Exception> R run(@Nullable String tenant, Work<R, X> work) throws X {
      Lock lock = store.dialect().writeLock();
      lock.lock();
      R value;
      try {
        value = store.jdbi().inTransaction(handle -> {
          session = PostgresSessions.backendPid(handle.getConnection());
          if (tenantSetting != null) {
            tenantSetting.set(handle, tenant);
          }
          tx = new JdbcTransaction(store.config(), appender, handle, tenant, tenantSetting);
          try {
            result = work.run(tx);
          } finally {
            tx.close();
          }
          done = true;
          return result;
        });
      } finally {
        lock.unlock();
      }
      appended(tx == null ? 0 : tx.lastPosition());
      return value;
    }
  }

  /** One single-stream append in a transaction of its own (retried, see {@link #append}). */
  AppendResult appendAlone(@Nullable String tenant, PreparedAppend append) {
    return append(tenant, List.of(append), "appending to stream '" + append.streamId() + "'").get(0);
  }

  /**
   * Several single-stream appends of {@link GroupCommit}, all of one tenant, in one transaction
   * ({@link Appender#appendGroup}); a request whose expectation fails gets its error and writes
   * nothing. When the group's combined statement wrote less than all, its transaction rolls back and
   * the group runs again in a new one, a statement per request. Throws only when the transaction as
   * a whole failed, or when a request's statement failed with a database error: then every request
   * runs again alone.
   */
  void appendCombined(List<GroupCommit.Request> batch) {
    long last;
    try {
      last = appendGroup(batch, true);
    } catch (Appender.CombinedAppendIncomplete incomplete) {
      last = appendGroup(batch, false);
    }
    appended(last);
  }

  private long appendGroup(List<GroupCommit.Request> batch, boolean combined) {
    Lock lock = store.dialect().writeLock();
    lock.lock();
    try {
      return store.jdbi().inTransaction(handle -> {
        @Nullable String tenant = batch.get(0).tenant;
        if (tenantSetting != null) {
          tenantSetting.set(handle, tenant);
        }
        return appender.appendGroup(handle, tenant, batch, store.now(), combined);
      });
    } catch (Appender.CombinedAppendIncomplete e) {
      throw e; // rolled back before any request was settled
    } catch (RuntimeException | Error e) {
      // Rolled back, or in doubt when the commit itself failed: the requests run again alone, and
      // one whose events this transaction wrote and that then finds them stored wrote them here.
      batch.forEach(GroupCommit.Request::reset);
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Tells the append listeners of a commit that appended up to {@code last} (0: none). The append
   * has committed, so a listener's failure is logged at ERROR and the others are still told; only
   * a fatal error ({@link dev.fabula.internal.Fatal}) is rethrown, after that.
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
        if (Fatal.is(e)) {
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
   * tenant first. A lost connection is retried within the retry window ({@link ConnectionRetry}).
   */
  <T> T read(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> work) {
    return retry.call(action, () -> readOnce(tenant, action, work));
  }

  /** {@link #read} without retries. */
  private <T> T readOnce(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> work) {
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
