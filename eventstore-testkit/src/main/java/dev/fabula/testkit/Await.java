package dev.fabula.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Waits in a test for something other threads or processes make true (a projection reaching the
 * head, a job ending, a meter counting), by looking at it every {@link #POLL_INTERVAL} until it
 * holds or a deadline passes. A wait that times out fails with an {@link AssertionError} naming
 * what was awaited (and, for {@link #value}, the last value seen), so a failed test says what did
 * not happen:
 *
 * <pre>{@code
 * Await.until("the projection reaches the head", Duration.ofSeconds(20),
 *     () -> projections.status(id).checkpoint() >= head);
 * JobState end = Await.value("job " + id + " to finish", Duration.ofSeconds(20),
 *     () -> queue.job(id).orElseThrow().state(), JobState::isTerminal);
 * }</pre>
 *
 * <p>The poll interval is short and is not a synchronisation: the condition decides. Prefer a
 * latch where the test owns the code that makes the condition true. An interrupt ends the wait
 * with an {@link AssertionError} and keeps the thread's interrupt status. Stateless; thread-safe.
 */
public final class Await {
  /** How long a wait pauses between two looks at its condition. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(10);

  private Await() {}

  /**
   * Returns once {@code condition} holds, looking at it first at once.
   *
   * @param what what is awaited, for the failure message ("the runner to stop")
   * @param timeout the most to wait
   * @param condition read on the calling thread; must not block for long
   * @throws AssertionError if it did not hold within {@code timeout}, or the wait was interrupted
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    Objects.requireNonNull(what, "what");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " awaiting: " + what);
      }
      pause(what);
    }
  }

  /**
   * Reads {@code read} until {@code accept} takes its value, and returns that value.
   *
   * @param what what is awaited, for the failure message
   * @param timeout the most to wait
   * @param read reads the current value on the calling thread
   * @param accept whether a value is the one awaited
   * @param <T> the value's type
   * @return the first value accepted
   * @throws AssertionError if no value was accepted within {@code timeout} (the message shows the
   *     last one read), or the wait was interrupted
   */
  public static <T extends @Nullable Object> T value(
      String what, Duration timeout, Supplier<T> read, Predicate<? super T> accept) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = read.get();
    while (!accept.test(last)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " awaiting: " + what + "; last seen: " + last);
      }
      pause(what);
      last = read.get();
    }
    return last;
  }

  private static void pause(String what) {
    LockSupport.parkNanos(POLL_INTERVAL.toNanos()); // the condition decides, not this pause
    if (Thread.currentThread().isInterrupted()) {
      throw new AssertionError("interrupted while awaiting: " + what);
    }
  }
}
