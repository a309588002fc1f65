package dev.fabula.scheduler.internal;

import dev.fabula.internal.Fatal;
import dev.fabula.jdbc.spi.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes of a worker pool's handlers, from the handler thread that left one until it is
 * written ({@link OutcomeRecorder} does the statements). A written outcome's job leaves {@link
 * HeldJobs}, which ends the renewal of its lease.
 *
 * <p>Outcomes are written in batches. Where the database takes concurrent writers (PostgreSQL), a
 * writer thread writes them on its own connection, in parallel with the claims; while jobs are
 * still running it waits up to {@link #WRITE_LINGER_NANOS} for more, so several cost one commit.
 * Where the database has one writer at a time (SQLite: one fsync per commit, and a writer waits
 * for the other), the dispatcher writes them in the same transaction as its next claim ({@link
 * #inClaims}): one commit per cycle serves both the finished and the new jobs.
 *
 * <p>A batch whose write failed is written again, fenced by the claims' tokens (so a try whose
 * COMMIT went through although its connection failed is not applied twice): by the writer thread
 * after a jittered backoff for up to a bounded window, or by the dispatcher first in its next
 * cycle. At shutdown, after the handler threads ended, {@link #stop}
 * writes what is left, retrying for up to the shutdown timeout.
 */
final class Outcomes {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class); // the pool's log, one name for its parts
  /** How long the writer thread waits for more outcomes while jobs are still running. */
  private static final long WRITE_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** How many lease durations a batch of outcomes is retried before the pool gives it up. */
  static final int RETRY_WINDOW_LEASES = 3;
  /** The waits between tries of a batch: 50 ms growing to 5 s, jittered. */
  private static final Backoff WRITE_BACKOFF = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(5));
  /** The waits between tries at shutdown, which has less time: 50 ms growing to 1 s, jittered. */
  private static final Backoff FLUSH_BACKOFF = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1));

  private final PoolContext pool;
  private final Db db;
  private final OutcomeRecorder recorder;
  private final HeldJobs held;
  private final Wakeup wakeup;
  private final PoolHealth health;
  /** Whether the dispatcher writes outcomes in its claim transactions (single-writer databases). */
  private final boolean inClaims;
  private final BlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
  /**
   * Outcomes whose write in a dispatcher cycle failed, written first in the next one. The
   * dispatcher thread only; after it stopped, the closing thread.
   */
  private final List<Outcome> unwritten = new ArrayList<>();
  private volatile boolean stopped;
  private @Nullable Thread writer;

  Outcomes(PoolContext pool, OutcomeRecorder recorder, HeldJobs held, Wakeup wakeup, PoolHealth health) {
    this.pool = pool;
    this.db = pool.db();
    this.recorder = recorder;
    this.held = held;
    this.wakeup = wakeup;
    this.health = health;
    this.inClaims = db.singleWriter;
  }

  /** Starts the writer thread, where the database takes concurrent writers. */
  void start() {
    if (!inClaims) {
      writer = Threads.daemon(this::writeLoop, "fabula-outcome-writer");
      writer.start();
    }
  }

  /** A handler finished; called on its thread. */
  void add(Outcome o) {
    try {
      pool.observers().ran(o); // first: once queued, the outcome may be written and seen before observers heard
    } finally {
      queue.add(o); // whatever an observer threw: an outcome left behind would hold its job for good
    }
  }

  /** Whether the dispatcher writes the outcomes, in its claim transactions. */
  boolean inClaims() {
    return inClaims;
  }

  /** Whether outcomes wait in the queue. */
  boolean hasQueued() {
    return !queue.isEmpty();
  }

  /**
   * The next batch for a dispatcher cycle: the outcomes whose write failed last time, then queued
   * ones, up to the batch size; without those of jobs given back at shutdown.
   */
  List<Outcome> takeBatch() {
    List<Outcome> batch = new ArrayList<>(unwritten);
    unwritten.clear();
    queue.drainTo(batch, Math.max(0, pool.config().completionBatchSize() - batch.size()));
    batch.removeIf(o -> o.running().released);
    return batch;
  }

  /** Writes {@code batch} on the dispatcher's transaction {@code h}. */
  void record(Handle h, List<Outcome> batch, Instant now) {
    recorder.logUnrecorded(batch, recorder.write(h, batch, now));
  }

  /** The transaction that wrote {@code batch} committed. */
  void written(List<Outcome> batch) {
    held.written(batch);
  }

  /** The transaction that wrote {@code batch} failed: the dispatcher's next cycle writes it first. */
  void writeLater(List<Outcome> batch) {
    unwritten.addAll(batch);
  }

  /** Stops the writer thread, then writes the outcomes left, retrying for up to {@code timeout}; after the handler threads ended. */
  void stop(Duration timeout) {
    stopped = true;
    Threads.join(writer);
    flush(timeout);
  }

  /**
   * The writer thread, where the database takes concurrent writers: writes outcomes in batches. A
   * failed write (any exception, any error but a fatal one) is tried again after a backoff; a fatal
   * error puts the batch back for {@link #stop}, and {@link PoolHealth} reports the death.
   */
  private void writeLoop() {
    try {
      writeBatches();
    } catch (Throwable e) {
      health.died("outcome writer", e);
      throw e;
    }
  }

  private void writeBatches() {
    while (true) {
      Outcome first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        if (stopped) {
          return;
        }
        continue;
      }
      List<Outcome> batch = new ArrayList<>();
      batch.add(first);
      queue.drainTo(batch, pool.config().completionBatchSize() - 1);
      long lingerUntil = System.nanoTime() + WRITE_LINGER_NANOS;
      while (batch.size() < pool.batchThreshold() && wakeup.busy() > 0 && System.nanoTime() < lingerUntil) {
        // Jobs are still running: one write for several of them costs one commit instead of several.
        try {
          Outcome more = queue.poll(lingerUntil - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (more != null) {
            batch.add(more);
            queue.drainTo(batch, pool.config().completionBatchSize() - batch.size());
          }
        } catch (InterruptedException e) {
          return;
        }
      }
      batch.removeIf(o -> o.running().released);
      if (!writeWithRetries(batch)) {
        return;
      }
      held.written(batch);
    }
  }

  /**
   * Writes {@code batch}, trying again after a failure (a lost connection, a failed COMMIT) with
   * jittered, growing pauses ({@link Backoff}) for up to {@link #retryWindow}. Every try is fenced by the claims'
   * tokens, so a try after one whose COMMIT went through although its reply was lost changes
   * nothing; the lease keeper renews the jobs' leases meanwhile, so no other pool takes them. Past
   * the window the pool gives the jobs up: it stops renewing their leases, and they are rescued
   * and run again (at least once). Fatal errors and {@link #stop} put the batch back for {@link
   * #flush}.
   *
   * @return false when the writer thread must end
   */
  private boolean writeWithRetries(List<Outcome> batch) {
    Backoff.Window tries = WRITE_BACKOFF.window(retryWindow());
    while (!batch.isEmpty()) {
      try {
        Instant now = db.now();
        Set<Long> recorded = db.write("recording job outcomes", h -> recorder.write(h, batch, now));
        recorder.logUnrecorded(batch, recorded);
        break;
      } catch (RuntimeException | Error e) {
        if (stopped || Fatal.is(e)) {
          queue.addAll(batch); // stop() flushes them, within the shutdown timeout
          if (Fatal.is(e)) {
            throw e;
          }
          return false;
        }
        Optional<Duration> pause = tries.next();
        if (pause.isEmpty()) {
          LOG.error("Worker pool {}: giving up on writing {} job outcome(s) after {} s ({}); their leases are no longer "
              + "renewed, so they are rescued and run again", pool.workerId(), batch.size(), retryWindow().toSeconds(), e, e);
          break;
        }
        if (e instanceof Error) {
          LOG.error("Worker pool {}: cannot write {} job outcome(s) ({}); retrying in {} ms", pool.workerId(),
              batch.size(), e, pause.get().toMillis(), e);
        } else {
          LOG.warn("Worker pool {}: cannot write {} job outcome(s) ({}); retrying in {} ms", pool.workerId(),
              batch.size(), e.getMessage(), pause.get().toMillis());
        }
        if (!Backoff.sleep(pause.get())) {
          queue.addAll(batch);
          return false;
        }
      }
    }
    held.written(batch);
    return true;
  }

  /**
   * How long a batch of outcomes is retried: three lease durations (90 s by default), long enough
   * to ride out a database restart or failover, short enough that a job whose outcome cannot be
   * written does not stay running for good.
   */
  Duration retryWindow() {
    return pool.config().leaseDuration().multipliedBy(RETRY_WINDOW_LEASES);
  }

  /** Writes the outcomes still waiting, retrying for up to {@code timeout}; called after the dispatcher and the writer stopped. */
  private void flush(Duration timeout) {
    Backoff.Window tries = FLUSH_BACKOFF.window(timeout.compareTo(Duration.ofSeconds(1)) > 0 ? timeout : Duration.ofSeconds(1));
    while (!unwritten.isEmpty() || !queue.isEmpty()) {
      List<Outcome> batch = takeBatch();
      if (batch.isEmpty()) {
        continue;
      }
      try {
        Instant now = db.now();
        db.write("recording job outcomes", h -> {
          record(h, batch, now);
          return null;
        });
        written(batch);
      } catch (RuntimeException | Error e) {
        writeLater(batch);
        if (Fatal.is(e)) {
          throw e;
        }
        Optional<Duration> pause = tries.next();
        if (pause.isEmpty()) {
          LOG.error("Worker pool {}: giving up on writing {} job outcome(s) ({}); their leases expire and they run again",
              pool.workerId(), unwritten.size() + queue.size(), e.getMessage());
          return;
        }
        LOG.warn("Worker pool {}: cannot write job outcomes at shutdown ({}); retrying in {} ms", pool.workerId(),
            e.getMessage(), pause.get().toMillis());
        if (!Backoff.sleep(pause.get())) {
          return;
        }
      }
    }
  }
}
