package dev.fabula.scheduler.spi;

import dev.fabula.scheduler.JobQueue;

/**
 * A plugin that brings job handlers: list the class in {@code
 * META-INF/services/dev.fabula.scheduler.spi.JobHandlerProvider} and call {@link
 * JobQueue#registerDiscoveredHandlers()}. Discovery is never implicit: a queue only loads plugins
 * when asked, and logs each one it installs. Installing the same provider class twice does
 * nothing.
 */
public interface JobHandlerProvider {

  /** A short name for the log, by default the class name. */
  default String name() {
    return getClass().getName();
  }

  /**
   * Registers this plugin's handlers with {@link JobQueue#register}.
   *
   * @param queue the queue to register with
   */
  void registerHandlers(JobQueue queue);
}
