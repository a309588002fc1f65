package dev.fabula.scheduler.internal;

import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The dispatcher's wake-up call and the count of idle handler threads, under one lock because the
 * dispatcher waits for either: for a wake-up when it found nothing to do, and, under a backlog,
 * for enough idle threads to claim for several at once.
 *
 * <p>It also keeps the due times of pending jobs known in this process to be due later (enqueued
 * with a delay here, retried or snoozed by this pool), so that the dispatcher's wait ends when the
 * earliest is due instead of at its next poll.
 *
 * <p>Wake-ups come from a handler thread finishing, from enqueues in this process (after commit),
 * from PostgreSQL notifications, from control changes, and from {@link #stop}. One that comes
 * while the dispatcher is busy is kept for its next wait, so none is lost. Thread-safe.
 */
final class Wakeup {
  /** How many later due times are kept; past that the latest are dropped, and those jobs wait for a poll. */
  static final int MAX_KNOWN_DUE = 1024;

  private final int threads;
  private final AtomicInteger idle;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private boolean woken; // guarded by lock
  /** Due times of pending jobs known in this process to be later than now, earliest first, at most {@link #MAX_KNOWN_DUE}. */
  private final ConcurrentSkipListSet<Instant> dueLater = new ConcurrentSkipListSet<>();
  private volatile boolean stopped;

  Wakeup(int threads) {
    this.threads = threads;
    this.idle = new AtomicInteger(threads);
  }

  /** Handler threads without a job. */
  int idle() {
    return idle.get();
  }

  /** Handler threads running a job. */
  int busy() {
    return threads - idle.get();
  }

  /** A handler thread took a job; called by the dispatcher as it hands the job out. */
  void taken() {
    idle.decrementAndGet();
  }

  /** A handler thread is idle again: wakes the dispatcher to claim for it. */
  void freed() {
    idle.incrementAndGet();
    wake();
  }

  /** Wakes the dispatcher: a job may be due. */
  void wake() {
    lock.lock();
    try {
      woken = true;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A pending job is due at {@code at} (the scheduler's time): remembered, so that the dispatcher
   * wakes then rather than at its next poll, and the dispatcher woken to recompute its wait.
   */
  void dueAt(Instant at) {
    dueLater.add(at);
    while (dueLater.size() > MAX_KNOWN_DUE) {
      dueLater.pollLast();
    }
    wake();
  }

  /** The earliest due time known, or null. */
  @Nullable Instant nextDue() {
    return dueLater.isEmpty() ? null : dueLater.first();
  }

  /** Forgets the due times up to {@code now}: the dispatcher is about to claim. */
  void forgetDueBy(Instant now) {
    dueLater.headSet(now, true).clear();
  }

  /** Ends the current wait and every later one: the dispatcher is to stop. */
  void stop() {
    stopped = true;
    wake();
  }

  boolean stopped() {
    return stopped;
  }

  /** Waits until woken, stopped, or {@code millis} passed; takes the wake-up. */
  void await(long millis) {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
      while (!woken && nanos > 0 && !stopped) {
        nanos = wakeUp.awaitNanos(nanos);
      }
      woken = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until {@code n} handler threads are idle, or for at most {@code nanos}; leaves any wake-up for the next {@link #await}. */
  void awaitIdle(int n, long nanos) {
    lock.lock();
    try {
      while (idle.get() < n && nanos > 0 && !stopped) {
        nanos = wakeUp.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
