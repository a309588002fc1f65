package dev.fabula.migration;

import java.time.Duration;

/**
 * How the importer waits when it is ahead of its rate limit: {@link #SYSTEM} sleeps the thread;
 * tests pass one that moves a fake clock instead.
 */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps the current thread. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

  /** Waits for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;
}
