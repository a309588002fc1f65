package dev.fabula.projections.spi;

import dev.fabula.projections.ProjectionId;

/**
 * Hears what the runners of one {@link dev.fabula.projections.Projections} in this process do, for
 * metrics: what a status read cannot tell (how many events were applied and how long batches took,
 * retries, events parked). Register one with {@link dev.fabula.projections.Projections#observe};
 * the {@code fabula-metrics} module does.
 *
 * <p><b>Contract.</b> Methods are called on the projection's worker thread, after the fact, so
 * keep them fast: increment a counter, record a time; never call back into the projections. What
 * an observer throws is logged and ignored (the runner goes on); a fatal error ({@code
 * OutOfMemoryError}) is rethrown after the other observers heard. Every method has a no-op
 * default, so the interface can grow. Implementations must be thread-safe: each projection has its
 * own thread.
 */
public interface ProjectionObserver {

  /**
   * A batch committed: its checkpoint moved past it.
   *
   * @param id the projection version
   * @param events events the handler applied (events of streams held back by a parked event are
   *     not applied, and not counted)
   * @param elapsedNanos how long the batch took, handler and checkpoint move included
   */
  default void batchApplied(ProjectionId id, int events, long elapsedNanos) {}

  /**
   * The events of a batch that committed, heard right after {@link #batchApplied}, for tracing
   * (the {@code fabula-tracing} module links a batch's span to the traces its events carry).
   *
   * @param id the projection version
   * @param applied the events the handler applied, in position order (empty when every event of
   *     the batch was held back); do not keep the list
   * @param elapsedNanos how long the batch took, handler and checkpoint move included
   */
  default void eventsApplied(ProjectionId id, java.util.List<dev.fabula.RecordedEvent> applied, long elapsedNanos) {}

  /**
   * An event failed and is about to be tried again, after a backoff.
   *
   * @param id the projection version
   * @param attempt the attempt about to run: 2 for the first retry
   */
  default void retrying(ProjectionId id, int attempt) {}

  /**
   * An event failed its last attempt and was parked in the dead-letter table ({@link
   * dev.fabula.projections.FailurePolicy#PARK}); the checkpoint moved past it.
   */
  default void parked(ProjectionId id) {}
}
