package dev.fabula.scheduler.internal;

import org.jspecify.annotations.Nullable;

/** Starting and joining a worker pool's own threads, which never keep the JVM alive; what is fatal to them. */
final class Threads {
  private Threads() {}

  /**
   * Whether {@code e} is fatal to this JVM: a {@link VirtualMachineError} ({@code OutOfMemoryError},
   * {@code InternalError}, {@code UnknownError}) other than {@code StackOverflowError}, whose stack
   * is unwound by the time it is caught and which says only that one call went too deep. A fatal
   * error is recorded where it can be and then rethrown, never swallowed.
   */
  static boolean fatal(Throwable e) {
    return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
  }

  /** A daemon thread, not started. */
  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Waits for {@code t} to end (nothing when null); an interrupt ends the wait and stays set. */
  static void join(@Nullable Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
