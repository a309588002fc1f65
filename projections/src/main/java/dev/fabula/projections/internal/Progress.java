package dev.fabula.projections.internal;

/**
 * A counter of the progress projections of this process make (a checkpoint, a state, a parked
 * event changes), that waits can block on instead of polling the database alone. Thread-safe.
 */
final class Progress {
  private long count; // guarded by this

  /** Something moved: wakes every waiter. */
  synchronized void signal() {
    count++;
    notifyAll();
  }

  /** The count now, to wait for a change from. */
  synchronized long seen() {
    return count;
  }

  /**
   * Waits until the count differs from {@code seen} or {@code millis} (at least one) pass.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  synchronized void awaitChange(long seen, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + Math.max(1, millis) * 1_000_000;
    while (count == seen) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
