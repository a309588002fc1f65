package dev.fabula.projections;

/** Where a projection version stands, as {@link Projections#status} reports it. */
public enum ProjectionState {
  /** A runner holds the lease and has applied everything up to the head it last read: it follows live. */
  RUNNING,
  /** A runner holds the lease and is behind by at least a full batch. */
  CATCHING_UP,
  /** No runner holds a live lease: nothing applies its events. */
  STOPPED,
  /**
   * An event kept failing under {@link FailurePolicy#STOP}: no runner applies it until {@link
   * Projections#resume} or a rebuild; the status holds the position and the error.
   */
  FAILED,
  /** A runner reset it and is replaying the log from the start. */
  REBUILDING
}
