package dev.fabula.projections;

/**
 * What a runner does with an event whose handler still fails after {@link
 * RunnerConfig#maxAttempts()} attempts with exponential backoff. Never a silent skip.
 */
public enum FailurePolicy {
  /**
   * The default: the projection stops in the {@link ProjectionState#FAILED} state with the event's
   * position and the error, visible in {@link Projections#status}; its checkpoint stays before
   * the event until {@link Projections#resume} (after a fix) or a rebuild.
   */
  STOP,

  /**
   * The event is parked in the dead-letter table with the error, together with every later event
   * of the same stream (so that the stream's order is kept), while other streams go on. Parked
   * events are listed by {@link Projections#parked}, retried with {@link Projections#retryParked}
   * or dismissed with {@link Projections#dismissParked}.
   */
  PARK
}
