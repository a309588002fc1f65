package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventStoreException;
import dev.fabula.internal.Fatal;
import dev.fabula.spi.PreparedAppend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import dev.fabula.jdbc.spi.Dialect;
import org.jspecify.annotations.Nullable;

/**
 * Group commit for stand-alone single-stream appends: appenders that arrive while a commit is in
 * flight share the next transaction, so N concurrent appends cost one commit instead of N (and, on
 * PostgreSQL, one statement: {@code append_many.sql}).
 *
 * <p>How it works: every appender queues its request and leads if fewer than the most leaders run
 * (one on a one-writer database, SQLite; {@link #POSTGRES_LEADERS} on PostgreSQL, whose writers run
 * in parallel and whose WAL flushes already serve concurrent commits: up to that many appenders
 * each run their own append as before, and only beyond it do appends share). A leader drains up to
 * {@link #MAX_BATCH} queued requests and runs them, tenant by tenant, in one transaction each
 * ({@link UnitsOfWork#appendCombined}), until its own request is done; then it steps down and
 * wakes the appender of the oldest queued request, which leads next. Every other appender parks
 * until its request is done (the leader that ran it unparks it) or it is woken to lead. A lone
 * appender never waits: it leads at once, its own request alone in the queue, and runs it as
 * before. Each request's expectation is checked by a statement that writes nothing when it fails,
 * so one request's conflict never spoils the others.
 * If the shared transaction fails as a whole (a database error such as one request's payload that
 * the database rejects, a deadlock with another process, a lost connection), every request in it
 * runs again alone; event ids make that safe even if the failed commit did land.
 *
 * <p>Every appender leaves with its result or an exception, whatever happens: a request whose
 * transaction failed with an {@link Error} ({@code StackOverflowError}, say) fails with an {@link
 * EventStoreException} that has it as the cause; a fatal one ({@link dev.fabula.internal.Fatal}: {@code
 * OutOfMemoryError}) fails every waiting request the same way, and is rethrown in the leader's
 * thread.
 */
final class GroupCommit {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupCommit.class);
  /** Most appends that share one transaction. */
  static final int MAX_BATCH = 64;
  /**
   * Groups in flight at once on a database with parallel writers. Two: one group runs its statement
   * while the other waits for its commit's WAL flush, and appenders beyond them share a group.
   * Measured on PostgreSQL at 8 and 32 threads against 1, 2 and 4 (docs/benchmarks.md, seventh
   * session): four let most appenders at 8 threads commit alone, at about half again the server's
   * CPU per event; one and two cost about the same CPU per event, and two was the faster.
   */
  static final int POSTGRES_LEADERS = 2;

  /** One queued append and, once done, its outcome. */
  static final class Request {
    final @Nullable String tenant;
    final PreparedAppend append;
    volatile boolean done;
    /** The appender's thread, parked while it neither leads nor has its outcome. */
    private final Thread appender = Thread.currentThread();
    /** Set when the appender should try to lead (a leader stepped down); cleared when it wakes. */
    private volatile boolean woken;
    /** Whether a shared transaction that then failed had written this request's events. */
    boolean wroteInFailedCommit;
    @Nullable AppendResult result;
    @Nullable RuntimeException error;

    Request(@Nullable String tenant, PreparedAppend append) {
      this.tenant = tenant;
      this.append = append;
    }

    void succeed(AppendResult value) {
      result = value;
    }

    void fail(RuntimeException e) {
      error = e;
    }

    /** Marks the request done and wakes its appender (once the outcome is set). */
    void finish() {
      done = true;
      LockSupport.unpark(appender);
    }

    /** Asks the appender to try to lead. */
    void wake() {
      woken = true;
      LockSupport.unpark(appender);
    }

    /** Parks the appender until its request is done or it is asked to lead (or spuriously). */
    void await() {
      while (!done && !woken) {
        LockSupport.park(this);
      }
      woken = false;
    }

    /** Whether the request has its outcome: a result or an error. */
    boolean settled() {
      return result != null || error != null;
    }

    /** Forgets an outcome that a transaction which then failed as a whole had set. */
    void reset() {
      wroteInFailedCommit |= result != null && !result.replayed();
      result = null;
      error = null;
    }
  }

  private final UnitsOfWork work;
  /** Hears each batch's size, for metrics. */
  private final Observers observers;
  private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
  /** Most leaders at once. */
  private final int maxLeaders;
  /** Leaders running now. */
  private final AtomicInteger leaders = new AtomicInteger();

  /**
   * @param maxLeaders how many groups may be in flight at once: 1 where the database has one writer
   */
  GroupCommit(UnitsOfWork work, Observers observers, int maxLeaders) {
    this.work = work;
    this.observers = observers;
    this.maxLeaders = maxLeaders;
  }

  AppendResult append(@Nullable String tenant, PreparedAppend append) {
    Request mine = new Request(tenant, append);
    queue.add(mine);
    while (!mine.done) {
      if (tryLead()) {
        try {
          while (!mine.done) {
            List<Request> batch = drain();
            if (batch.isEmpty()) {
              break; // another leader runs mine
            }
            if (observers.any()) {
              observers.groupCommitted(batch.size());
            }
            run(batch);
          }
        } finally {
          leaders.decrementAndGet();
          wakeNext();
        }
      }
      if (!mine.done) {
        mine.await();
      }
    }
    if (mine.error != null) {
      throw mine.error;
    }
    return mine.result;
  }

  private boolean tryLead() {
    for (int n = leaders.get(); n < maxLeaders; n = leaders.get()) {
      if (leaders.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Wakes the appender of the oldest queued request, once a leader stepped down, so that it leads
   * the next group. (One queued while every leader ran was refused leadership and parked: a leader
   * stepping down after that refusal finds its request here.)
   */
  private void wakeNext() {
    Request next = queue.peek();
    if (next != null) {
      next.wake();
    }
  }

  private List<Request> drain() {
    List<Request> batch = new ArrayList<>();
    for (Request r; batch.size() < MAX_BATCH && (r = queue.poll()) != null; ) {
      batch.add(r);
    }
    // Same lock order as every other batch (here and in other processes): no deadlocks between them.
    batch.sort(Comparator.comparing((Request r) -> r.append.streamId()));
    return batch;
  }

  private void run(List<Request> batch) {
    try {
      if (batch.size() == 1) {
        runAlone(batch.get(0));
        return;
      }
      // One transaction per tenant: a transaction sets one tenant for the row-level-security policies.
      Map<String, List<Request>> byTenant = new LinkedHashMap<>();
      for (Request r : batch) {
        byTenant.computeIfAbsent(Dialect.tenantKey(r.tenant), k -> new ArrayList<>()).add(r);
      }
      for (List<Request> group : byTenant.values()) {
        runGroup(group);
      }
    } catch (Throwable e) {
      // An Error (StackOverflowError, OutOfMemoryError) in a transaction run for others: every
      // appender still waiting learns of it, none returns without a result.
      for (Request r : batch) {
        if (!r.settled()) {
          r.fail(failedBy(r, e));
        }
      }
      LOG.error("A group commit of {} appends failed with {}; each of them fails", batch.size(), e.toString(), e);
      if (Fatal.is(e)) {
        throw (Error) e;
      }
    } finally {
      batch.forEach(Request::finish);
    }
  }

  private void runGroup(List<Request> group) {
    if (group.size() == 1) {
      runAlone(group.get(0));
      return;
    }
    try {
      work.appendCombined(group);
    } catch (RuntimeException sharedFailure) {
      LOG.debug("A shared commit of {} appends failed; running them one by one", group.size(), sharedFailure);
      for (Request r : group) {
        r.reset();
        runAlone(r);
      }
    }
  }

  private static EventStoreException failedBy(Request r, Throwable e) {
    return new EventStoreException("appending to stream '" + r.append.streamId() + "' failed: " + e
        + "; its transaction was rolled back unless the failure struck during the commit itself. Retrying with "
        + "the same event ids is safe either way: events whose ids are stored are not written again", e);
  }

  private void runAlone(Request r) {
    try {
      AppendResult result = work.appendAlone(r.tenant, r.append);
      // Found stored after a shared commit that wrote them failed: that commit landed after all.
      r.succeed(r.wroteInFailedCommit ? result.withReplayed(false) : result);
    } catch (EventStoreException e) {
      r.fail(e);
    } catch (RuntimeException e) {
      r.fail(new EventStoreException("append failed: " + e.getMessage(), e));
    } catch (Error e) {
      if (Fatal.is(e)) {
        throw e;
      }
      r.fail(failedBy(r, e));
    }
  }
}
