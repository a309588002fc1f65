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
import java.util.concurrent.Semaphore;
import dev.fabula.jdbc.spi.Dialect;
import org.jspecify.annotations.Nullable;

/**
 * Group commit for stand-alone single-stream appends: appenders that arrive while a commit is in
 * flight share the next transaction, so N concurrent appends cost one commit instead of N (and, on
 * PostgreSQL, one statement: {@code append_many.sql}).
 *
 * <p>How it works: every appender queues its request and takes one of the leader permits (one on a
 * one-writer database, SQLite; {@link #POSTGRES_LEADERS} on PostgreSQL, so that one group's statement
 * runs while the previous group's commit is flushed). Whoever holds a permit drains up to {@link
 * #MAX_BATCH} queued requests and runs them, tenant by tenant, in one transaction each ({@link
 * UnitsOfWork#appendCombined}); it leaves once its own request is done, and waits for it when
 * another leader has taken it. A lone appender never waits: it finds a permit free and its own
 * request alone in the queue, and runs it as before. Each request's expectation is checked by a
 * statement that writes nothing when it fails, so one request's conflict never spoils the others.
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
  /** Groups in flight at once on a database with parallel writers. */
  static final int POSTGRES_LEADERS = 2;

  /** One queued append and, once done, its outcome. */
  static final class Request {
    final @Nullable String tenant;
    final PreparedAppend append;
    volatile boolean done;
    /** Counted down once {@link #done}: for an appender whose request another leader runs. */
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
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
  private final Semaphore leaders;

  /**
   * @param leaders how many groups may be in flight at once: 1 where the database has one writer
   */
  GroupCommit(UnitsOfWork work, Observers observers, int leaders) {
    this.work = work;
    this.observers = observers;
    this.leaders = new Semaphore(leaders);
  }

  AppendResult append(@Nullable String tenant, PreparedAppend append) {
    Request mine = new Request(tenant, append);
    queue.add(mine);
    leaders.acquireUninterruptibly();
    boolean leading = true;
    try {
      while (!mine.done) {
        List<Request> batch = drain();
        if (batch.isEmpty()) {
          // Another leader drained mine and is running it: wait for it, without holding a permit.
          leaders.release();
          leading = false;
          awaitDone(mine);
          break;
        }
        if (observers.any()) {
          observers.groupCommitted(batch.size());
        }
        run(batch);
      }
    } finally {
      if (leading) {
        leaders.release();
      }
    }
    if (mine.error != null) {
      throw mine.error;
    }
    return mine.result;
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

  /** Waits (uninterruptibly, as a leader would run on) until another leader has run {@code r}. */
  private static void awaitDone(Request r) {
    boolean interrupted = false;
    while (true) {
      try {
        r.finished.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
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
      for (Request r : batch) {
        r.done = true;
        r.finished.countDown();
      }
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
