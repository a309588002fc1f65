package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventStoreException;
import dev.fabula.internal.Fatal;
import dev.fabula.spi.PreparedAppend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Group commit for stand-alone single-stream appends on a one-writer database (SQLite): appenders
 * that arrive while a commit is in flight share the next transaction, so N concurrent appends cost
 * one commit instead of N. (PostgreSQL groups the WAL flushes of concurrent commits itself, and
 * runs their statements in parallel, which beats running them one after another here.)
 *
 * <p>How it works: every appender queues its request and takes the leader lock. Whoever holds it
 * finds its own request either done by the previous leader (and leaves at once) or still queued;
 * then it drains up to {@link #MAX_BATCH} requests and runs them in one transaction ({@link
 * UnitsOfWork#appendCombined}). Each request's expectation is checked by a statement that writes
 * nothing when it fails, so one request's conflict never spoils the others. If the shared
 * transaction fails as a whole (a database error, a deadlock with another process), every request
 * in it runs again alone; event ids make that safe even if the failed commit did land.
 *
 * <p>Every appender leaves with its result or an exception, whatever happens: a request whose
 * transaction failed with an {@link Error} ({@code StackOverflowError}, say) fails with an {@link
 * EventStoreException} that has it as the cause; a fatal one ({@link dev.fabula.internal.Fatal}: {@code
 * OutOfMemoryError}) fails every waiting request the same way, and is rethrown in the leader's
 * thread.
 *
 * <p>A single appender pays nothing: its batch has one request and runs as before.
 */
final class GroupCommit {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupCommit.class);
  /** Most appends that share one transaction. */
  static final int MAX_BATCH = 64;

  /** One queued append and, once done, its outcome. */
  static final class Request {
    final @Nullable String tenant;
    final PreparedAppend append;
    volatile boolean done;
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
  private final ReentrantLock leader = new ReentrantLock();

  GroupCommit(UnitsOfWork work, Observers observers) {
    this.work = work;
    this.observers = observers;
  }

  AppendResult append(@Nullable String tenant, PreparedAppend append) {
    Request mine = new Request(tenant, append);
    queue.add(mine);
    leader.lock();
    try {
      while (!mine.done) {
        List<Request> batch = drain();
        if (observers.any()) {
          observers.groupCommitted(batch.size());
        }
        run(batch);
      }
    } finally {
      leader.unlock();
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

  private void run(List<Request> batch) {
    try {
      if (batch.size() == 1) {
        Request r = batch.get(0);
        runAlone(r);
        return;
      }
      try {
        work.appendCombined(batch);
      } catch (RuntimeException sharedFailure) {
        LOG.debug("A shared commit of {} appends failed; running them one by one", batch.size(), sharedFailure);
        for (Request r : batch) {
          r.reset();
          runAlone(r);
        }
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
      batch.forEach(r -> r.done = true);
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
