package dev.fabula.jdbc.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered, growing waits between the attempts of one piece of work, within a bounded window: the
 * wait after the n-th failure is drawn at random between half and all of {@code min(longest,
 * first × 2^(n-1))}, so that callers who failed together (every pool that lost the database at
 * once) do not come back together, and it never runs past the window's end. {@link
 * ConnectionRetry} waits so between attempts after a lost connection, the store so between its
 * look-ups of a commit in doubt; a module uses it for retries of its own that have their own
 * window and their own proof that a second try does no harm (the scheduler's outcome writes):
 *
 * <pre>{@code
 * Backoff.Window tries = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(5)).window(Duration.ofSeconds(90));
 * while (true) {
 *   try {
 *     return work();
 *   } catch (RuntimeException e) {
 *     Optional<Duration> pause = tries.next();
 *     if (pause.isEmpty() || !Backoff.sleep(pause.get())) {
 *       throw e; // the window is over, or the thread was interrupted
 *     }
 *   }
 * }
 * }</pre>
 *
 * Immutable and thread-safe; a {@link Window} is not (one per call).
 */
public final class Backoff {
  private final long firstNanos;
  private final long longestNanos;

  private Backoff(Duration first, Duration longest) {
    this.firstNanos = first.toNanos();
    this.longestNanos = longest.toNanos();
  }

  /**
   * Waits that start at {@code first} and double up to {@code longest} (each before jitter).
   *
   * @throws IllegalArgumentException if {@code first} is not positive or {@code longest} is shorter
   */
  public static Backoff of(Duration first, Duration longest) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(longest, "longest");
    if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0) {
      throw new IllegalArgumentException("the first wait must be positive and the longest at least as long, but they were "
          + first + " and " + longest);
    }
    return new Backoff(first, longest);
  }

  /**
   * The wait after the {@code failures}-th failure in a row (1 or more), without a window: for a
   * loop that never gives up (a dispatcher that waits for the database to come back).
   */
  public Duration pause(int failures) {
    long cap = Math.min(longestNanos, firstNanos << Math.min(Math.max(failures, 1) - 1, 16));
    return Duration.ofNanos(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
  }

  /** Starts a window of {@code length} from now, for the attempts of one call. */
  public Window window(Duration length) {
    return new Window(System.nanoTime() + length.toNanos());
  }

  /**
   * Sleeps {@code pause}.
   *
   * @return false if the thread was interrupted (its interrupt flag is set again): stop retrying
   */
  public static boolean sleep(Duration pause) {
    long nanos = pause.toNanos();
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The attempts of one call and when they must stop. Not thread-safe: one per call. */
  public final class Window {
    private final long deadline;
    private int failures;

    private Window(long deadline) {
      this.deadline = deadline;
    }

    /**
     * Counts a failure and returns the wait before the next attempt, cut to what is left of the
     * window; empty when the window is over (stop: the last failure is final).
     */
    public Optional<Duration> next() {
      failures++;
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return Optional.empty();
      }
      Duration pause = pause(failures);
      return Optional.of(pause.toNanos() < remaining ? pause : Duration.ofNanos(remaining));
    }

    /** Whether the window still leaves time for another attempt. */
    public boolean hasTime() {
      return System.nanoTime() - deadline < 0;
    }

    /** The number of failures counted so far. */
    public int failures() {
      return failures;
    }
  }
}
