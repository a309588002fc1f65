package dev.fabula.scheduler.internal;

import org.jspecify.annotations.Nullable;

/** Starting and joining a worker pool's own threads, which never keep the JVM alive. */
final class Threads {
  private Threads() {}

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
