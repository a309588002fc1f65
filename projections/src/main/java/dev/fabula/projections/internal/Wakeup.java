package dev.fabula.projections.internal;

/**
 * Wakes a waiting thread, for two reasons kept apart: new events (appends, notifications) wake
 * only a thread that waits for events; control signals (stop, an admin request) wake any wait. A
 * signal that arrives while nobody waits is kept for the next wait, so none is lost.
 */
final class Wakeup {
  private boolean events;
  private boolean control;

  /** New events may be in the log. */
  synchronized void events() {
    events = true;
    notifyAll();
  }

  /** Stop or an admin request. */
  synchronized void control() {
    control = true;
    notifyAll();
  }

  /**
   * Waits until a signal of the given kind or the timeout, then clears the signals it took.
   *
   * @param nanos the longest wait
   * @param forEvents whether new events end the wait too
   * @return whether a signal (not the timeout) ended it
   */
  synchronized boolean await(long nanos, boolean forEvents) {
    long deadline = System.nanoTime() + nanos;
    try {
      while (!control && !(forEvents && events)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(left / 1_000_000, (int) (left % 1_000_000));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      control = false;
      if (forEvents) {
        events = false;
      }
    }
  }
}
