package dev.fabula.spring.boot.autoconfigure;

import org.springframework.context.SmartLifecycle;

/**
 * The phase of Fabula's background work (projection runners, worker pools) among Spring's
 * lifecycle beans. It starts once every singleton exists, so after Flyway or Liquibase have
 * migrated and after the store is open, and before the web server accepts requests; it stops after
 * the web server's graceful shutdown (phase {@code DEFAULT_PHASE - 1024}) has drained the requests
 * in flight, which may still enqueue jobs or append events, and after the web server has stopped
 * ({@code DEFAULT_PHASE - 2048}).
 */
public final class FabulaLifecycle {
  /** {@link SmartLifecycle#DEFAULT_PHASE} - 4096: stops after the web server, starts before it. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private FabulaLifecycle() {}
}
