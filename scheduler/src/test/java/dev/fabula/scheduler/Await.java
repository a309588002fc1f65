package dev.fabula.scheduler;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that other threads or processes make true, polling it. */
final class Await {
  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      pause();
    }
  }

  static <T> T value(String what, Duration timeout, Supplier<T> read, java.util.function.Predicate<T> accept) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = read.get();
    while (!accept.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what + "; last seen: " + last);
      }
      pause();
      last = read.get();
    }
    return last;
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
