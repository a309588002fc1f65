package dev.fabula.projections;

/** What became of one event for one projection version ({@link Projections#delivery}). */
public enum DeliveryState {
  /** Applied: the checkpoint is past it, or a retry applied it after it was parked. */
  APPLIED,
  /** Not applied yet: it is after the checkpoint, or not yet visible in the log. */
  PENDING,
  /** In the dead-letter table: its handler failed, or an earlier event of its stream did. */
  PARKED,
  /** Parked, then dismissed through {@link Projections#dismissParked}: never applied, on purpose. */
  DISMISSED,
  /** Before the checkpoint, but the projection's filter does not take it. */
  NOT_HANDLED,
  /**
   * No event holds this position: its transaction rolled back (PostgreSQL positions have gaps),
   * or its stream was erased with {@code hardDeleteStream}.
   */
  NO_EVENT,
  /**
   * The runner gave up waiting for this position and moved past it. <b>Never returned by this
   * runner:</b> the event store's read fence (the fence in its {@code append.sql}) tells a rolled-back position from
   * one still in flight, so the runner never has to declare a position dead, and never skips one.
   * The state exists so that audits written against this API stay valid for backends without a
   * fence.
   */
  SKIPPED_DEAD
}
