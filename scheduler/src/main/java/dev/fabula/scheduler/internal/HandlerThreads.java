package dev.fabula.scheduler.internal;

import dev.fabula.internal.Fatal;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobResultException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker pool's handler threads: each runs one claimed job's handler at a time and leaves the
 * outcome in {@link Outcomes}, then counts itself idle and wakes the dispatcher. The job stays in
 * {@link HeldJobs} from the hand-out until its outcome is written, so its lease is renewed
 * meanwhile.
 *
 * <p>Whatever the handler does (returns a result, throws a {@link JobResultException}, throws
 * anything else, or is interrupted because its lease was lost) becomes the outcome: an {@link
 * Error} fails the attempt like an exception, with its stack trace as the job's error (retried by
 * the job's {@link dev.fabula.scheduler.RetryPolicy}, FAILED when no attempts are left). Only a
 * fatal error ({@link dev.fabula.internal.Fatal}: {@code OutOfMemoryError}) escapes, after its outcome was
 * left: that thread dies and the executor starts another. At shutdown, the jobs still running after the timeout are given back to the
 * queue (the attempt does not count) and their threads interrupted.
 *
 * <p>{@link #run} is called by the dispatcher thread, {@link #start} and {@link #stop} by the
 * pool's lifecycle.
 */
final class HandlerThreads {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class); // the pool's log, one name for its parts

  private final PoolContext pool;
  private final Db db;
  private final HeldJobs held;
  private final Wakeup wakeup;
  private final Outcomes outcomes;
  private final OutcomeRecorder recorder;
  private @Nullable ExecutorService executor;

  HandlerThreads(PoolContext pool, HeldJobs held, Wakeup wakeup, Outcomes outcomes, OutcomeRecorder recorder) {
    this.pool = pool;
    this.db = pool.db();
    this.held = held;
    this.wakeup = wakeup;
    this.outcomes = outcomes;
    this.recorder = recorder;
  }

  void start() {
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(pool.threads(), r -> Threads.daemon(r, "fabula-worker-" + n.incrementAndGet()));
  }

  /** Hands a claimed job to an idle thread; the job is held from now on. */
  /** The ids of the jobs this pool holds now, from their claim until their outcome is written. */
  List<Long> heldIds() {
    return held.snapshot().stream().map(r -> r.job.id()).toList();
  }

  /** Whether this pool holds {@code job}'s claim (same id and lease token): its handler runs, or its outcome is being written. */
  boolean holds(Job job) {
    return held.snapshot().stream().anyMatch(r -> r.job.id() == job.id() && r.job.leaseToken() == job.leaseToken());
  }

  void run(Job job) {
    Running r = new Running(job, db);
    held.add(r);
    wakeup.taken();
    executor.execute(() -> handle(r));
  }

  /**
   * Lets the running handlers finish within {@code timeout}; gives back the jobs of those that do
   * not, and interrupts them.
   *
   * @return whether every handler finished in time
   */
  boolean stop(Duration timeout) {
    executor.shutdown();
    try {
      if (executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      giveBackRunning();
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private void handle(Running r) {
    Instant started = null;
    JobResult result = null;
    String error = null;
    Throwable fatal = null;
    r.started(Thread.currentThread());
    try {
      started = db.now();
      JobHandler handler = pool.handlers().get(r.job.type());
      if (handler == null) {
        result = JobResult.failWithoutRetry("no handler for job type '" + r.job.type() + "' is registered in worker pool "
            + pool.workerId() + " (it handles " + pool.handlers().keySet() + "); register one with JobQueue.register "
            + "before creating the pool, or set UnknownJobTypes.LEAVE_PENDING to leave such jobs for other pools");
      } else if (r.lost) {
        error = "the lease was lost before the handler started";
      } else {
        result = handler.handle(r);
        if (result == null) {
          error = "the handler of '" + r.job.type() + "' returned null; return JobResult.success()";
        }
      }
    } catch (JobResultException e) {
      result = e.result();
    } catch (Throwable t) {
      error = describe(t, r);
      if (t instanceof Error && !(t instanceof AssertionError)) {
        LOG.error("Job {} ({}) threw {}", r.job.id(), r.job.type(), t.toString(), t);
      }
      if (Fatal.is(t)) {
        fatal = t;
      }
    } finally {
      r.finished();
    }
    // The outcome is always left, or the job would stay held (and its lease renewed) for good.
    Instant finished = nowOr(started);
    outcomes.add(new Outcome(r, started != null ? started : finished, finished, result, error));
    wakeup.freed();
    if (fatal != null) {
      throw (Error) fatal; // recorded as the attempt's failure; the executor replaces this thread
    }
  }

  /** The clock's time; if the clock fails, {@code fallback}, else the system's time. */
  private Instant nowOr(@Nullable Instant fallback) {
    try {
      return db.now();
    } catch (Throwable e) {
      LOG.error("Worker pool {}: the clock failed ({}); recording the outcome with the system time", pool.workerId(), e, e);
      return fallback != null ? fallback : Instant.now();
    }
  }

  private static String describe(Throwable t, Running r) {
    StringWriter out = new StringWriter();
    if (t instanceof InterruptedException && r.lost) {
      out.append("interrupted: the lease was lost\n");
    }
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** Gives back the jobs whose handlers are still running at the shutdown timeout; the attempt does not count. */
  private void giveBackRunning() {
    Instant now = db.now();
    for (Running r : held.snapshot()) {
      if (!r.isRunning()) {
        continue;
      }
      r.released = true;
      try {
        db.write("giving back job " + r.job.id(), h -> {
          recorder.giveBack(h, r, now);
          return null;
        });
      } catch (RuntimeException e) {
        LOG.warn("Job {}: cannot give it back at shutdown ({}); its lease expires and it runs again", r.job.id(), e.getMessage());
      }
      r.interrupt();
      LOG.warn("Job {} ({}) did not finish within the shutdown timeout; given back to the queue", r.job.id(), r.job.type());
    }
  }
}
