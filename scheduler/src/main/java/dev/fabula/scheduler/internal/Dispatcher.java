package dev.fabula.scheduler.internal;

import dev.fabula.StoreUnavailableException;
import dev.fabula.internal.Fatal;
import dev.fabula.jdbc.spi.Backoff;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQueueConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker pool's dispatcher thread: claims due jobs for the idle handler threads and hands them
 * out.
 *
 * <p>It loops { {@link Maintenance} when due; claim as many due jobs as there are idle handler
 * threads, in one statement; hand the jobs out; when there was nothing to do, turn due schedule
 * occurrences into jobs and sleep until woken, the earliest due time known in this process
 * ({@link Wakeup#nextDue}) or the poll interval passes }. Under a backlog it
 * waits up to {@link #CLAIM_LINGER_NANOS} for {@link PoolContext#claimThreshold()} threads to be
 * idle (all of them on a single-writer database, half elsewhere), so claims come in batches. On a
 * single-writer database the claim's transaction first writes the waiting {@link Outcomes}, and a cycle with no outcome to write opens it only if a read finds a due job, so an
 * idle pool's polls never hold the database's one write lock. A failure (any exception, and any error but a fatal one) is logged and the loop goes
 * on after a growing pause (up to 5 s); the outcomes of a failed cycle are written by the next.
 * Only {@link #stop} ends it, or a fatal error ({@link dev.fabula.internal.Fatal}), which {@link PoolHealth}
 * reports before the thread dies: the pool then stops claiming and renewing.
 *
 * <p>The claim path runs one way: this class decides when and for how many threads, {@link
 * Claims} chooses and binds the statement, {@link HandlerThreads} run what came back; none of
 * them calls back into the pool.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class); // the pool's log, one name for its parts
  /** Under a backlog, how long the dispatcher waits for more idle threads to claim for at once. */
  private static final long CLAIM_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(5);
  /** A claim returns its rows in no particular order; the handler threads get them by priority, then due time. */
  private static final Comparator<Job> CLAIM_ORDER =
      Comparator.comparing((Job j) -> -j.priority().value()).thenComparing(Job::runAt).thenComparing(Job::id);

  private final PoolContext pool;
  private final Db db;
  private final JobQueueConfig config;
  private final Wakeup wakeup;
  private final HandlerThreads handlers;
  private final Outcomes outcomes;
  private final ScheduleRunner schedules;
  private final Claims claims;
  private final Maintenance maintenance;
  private final PoolHealth health;
  /** The waits after failed cycles in a row: from the poll interval (at most 5 s), doubling up to 5 s, jittered; never giving up. */
  private final Backoff errorBackoff;
  private @Nullable Thread thread;
  /**
   * When the first claim that failed since the last good cycle ran: it may have committed, so the
   * next cycle gives back what it took ({@link Claims#giveBackUnheld}); null when none failed.
   */
  private @Nullable Instant claimInDoubtSince;

  Dispatcher(PoolContext pool, Wakeup wakeup, HandlerThreads handlers, Outcomes outcomes, ScheduleRunner schedules,
      PoolHealth health) {
    this.pool = pool;
    this.db = pool.db();
    this.config = pool.config();
    this.wakeup = wakeup;
    this.handlers = handlers;
    this.outcomes = outcomes;
    this.schedules = schedules;
    this.claims = new Claims(pool);
    this.maintenance = new Maintenance(pool, handlers::holds);
    this.health = health;
    Duration poll = config.pollInterval();
    this.errorBackoff = Backoff.of(poll.compareTo(MAX_ERROR_BACKOFF) < 0 ? poll : MAX_ERROR_BACKOFF, MAX_ERROR_BACKOFF);
  }

  void start() {
    thread = Threads.daemon(this::loop, "fabula-dispatcher");
    thread.start();
  }

  /** Ends the loop and waits for its last cycle; the jobs it handed out are still running. */
  void stop() {
    wakeup.stop();
    Threads.join(thread);
  }

  /** The controls changed in this process: read them again, and look for work. */
  void controlsChanged() {
    claims.forgetControls();
    wakeup.wake();
  }

  private void loop() {
    try {
      cycles();
    } catch (Throwable e) {
      health.died("dispatcher", e);
      throw e;
    }
  }

  private void cycles() {
    long nextMaintenance = 0;
    int errors = 0;
    boolean backlog = false;
    while (!wakeup.stopped()) {
      try {
        if (System.nanoTime() - nextMaintenance >= 0) {
          // Scheduled before it runs: maintenance that keeps failing (connections dropped mid-way)
          // is retried at the next interval and never starves the claims.
          nextMaintenance = System.nanoTime() + config.maintenanceInterval().toNanos();
          if (maintenance.run() > 0) {
            wakeup.wake(); // rescued jobs may be due now
          }
        }
        if (backlog && wakeup.idle() < pool.claimThreshold()) {
          // More jobs are due than threads: claim for several threads at once, in one statement.
          wakeup.awaitIdle(pool.claimThreshold(), CLAIM_LINGER_NANOS);
        }
        int free = wakeup.idle();
        int claimed = cycle(free);
        errors = 0;
        backlog = claimed > 0 && claimed == free;
        if (claimed > 0 || (outcomes.inClaims() && outcomes.hasQueued())) {
          continue;
        }
        if (free > 0) {
          Instant next = schedules.nextDue();
          if (next != null && !next.isAfter(db.now()) && schedules.runDue() > 0) {
            continue;
          }
        }
        long wait = config.pollInterval().toMillis();
        Instant due = wakeup.nextDue();
        if (due != null) {
          // A job known to be due before the next poll: wait until it is, not for the poll. Now
          // is estimated from the last reading: a reading here could wait for a connection.
          Instant now = db.estimateNow();
          if (now == null) {
            now = due; // no reading yet: claim now, which reads the clock
          }
          if (!due.isAfter(now)) {
            wakeup.forgetDueBy(now);
            continue;
          }
          wait = Math.min(wait, Duration.between(now, due).toMillis() + 1);
        }
        wakeup.await(wait);
      } catch (RuntimeException | Error e) {
        if (Fatal.is(e)) {
          throw e;
        }
        long pause = errorBackoff.pause(++errors).toMillis();
        if (e instanceof Error) {
          LOG.error("Worker pool {}: {}; retrying in {} ms", pool.workerId(), e, pause, e);
        } else if (e instanceof StoreUnavailableException) {
          LOG.warn("Worker pool {}: {}; retrying in {} ms", pool.workerId(), e.getMessage(), pause);
        } else {
          LOG.warn("Worker pool {}: {}; retrying in {} ms", pool.workerId(), e, pause, e);
        }
        wakeup.await(pause);
      }
    }
  }

  /**
   * One transaction: writes the waiting outcomes (on a single-writer database), then claims up to
   * {@code free} jobs and hands them to the handler threads. Outcomes whose write failed are kept
   * for the next cycle.
   *
   * @return the number of jobs claimed
   */
  private int cycle(int free) {
    List<Outcome> batch = outcomes.inClaims() ? outcomes.takeBatch() : List.of();
    long t0 = System.nanoTime();
    List<Job> jobs;
    boolean claimed = false;
    Instant[] at = new Instant[1];
    try {
      Controls c = free > 0 ? claims.controls() : null;
      boolean claiming = c != null && !c.killSwitch();
      claimed = claiming;
      Instant inDoubtSince = claimInDoubtSince;
      if (batch.isEmpty() && !claiming && inDoubtSince == null) {
        return 0;
      }
      if (batch.isEmpty() && inDoubtSince == null && db.singleWriter && !claims.anyDue()) {
        return 0; // a poll that finds nothing takes no write lock from the database's one writer
      }
      jobs = db.write(claiming ? "claiming jobs" : "recording job outcomes", h -> {
        // Now is read on the claim's own connection: a connection that took long to get (the
        // server restarting) must not give the claimed jobs leases that expired while it waited.
        Instant now = db.now(h);
        if (at[0] == null) {
          at[0] = now; // a retried write: jobs claimed by an earlier try are claimed since its now
        }
        if (inDoubtSince != null) {
          claims.giveBackUnheld(h, handlers.heldIds(), inDoubtSince, now);
        }
        if (!batch.isEmpty()) {
          outcomes.record(h, batch, now);
        }
        return claiming ? claims.claim(h, c, free, now) : List.<Job>of();
      });
    } catch (Throwable e) {
      outcomes.writeLater(batch); // whatever failed, the outcomes taken are written in the next cycle
      if (claimed && claimInDoubtSince == null && at[0] != null) {
        claimInDoubtSince = at[0]; // the claim ran and may have committed all the same
      }
      throw e;
    }
    claimInDoubtSince = null;
    outcomes.written(batch);
    LOG.trace("Worker pool {} wrote {} outcome(s) and claimed {} of {} in {} us", pool.workerId(), batch.size(), jobs.size(),
        claimed ? free : 0, (System.nanoTime() - t0) / 1000);
    List<Job> ordered = new ArrayList<>(jobs);
    ordered.sort(CLAIM_ORDER);
    ordered.forEach(handlers::run);
    return jobs.size();
  }
}
