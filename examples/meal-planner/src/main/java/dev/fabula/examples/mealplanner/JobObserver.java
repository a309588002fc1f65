package dev.fabula.examples.mealplanner;

import dev.fabula.scheduler.JobContext;
import org.jspecify.annotations.Nullable;

/**
 * Sees every job the planner runs, on the worker thread, around its handler: for metrics, tracing
 * or tests. The default methods do nothing.
 */
public interface JobObserver {
  /** Does nothing. */
  JobObserver NONE = new JobObserver() {};

  /**
   * Called before the handler. Throwing fails the attempt like a handler failure.
   *
   * @throws Exception to fail the attempt
   */
  default void started(PlannerJob job, JobContext ctx) throws Exception {}

  /** Called after the handler, with its exception if it threw. */
  default void finished(PlannerJob job, JobContext ctx, @Nullable Throwable error) {}
}
