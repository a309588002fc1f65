package dev.fabula.projections;

import org.jspecify.annotations.Nullable;

/**
 * A projection did not reach a position within the time given ({@link Projections#awaitPosition},
 * {@link LiveProjection#awaitPosition}).
 */
public class ProjectionTimeoutException extends ProjectionException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable ProjectionStatus status;
  private final long position;

  /**
   * Creates the exception.
   *
   * @param position the position waited for
   * @param status the projection's status at the timeout
   */
  public ProjectionTimeoutException(long position, ProjectionStatus status) {
    super("projection " + status.id() + " did not reach position " + position + " in time: its checkpoint is "
        + status.checkpoint() + ", state " + status.state()
        + (status.waitingFor() == null ? "" : ", waiting for " + status.waitingFor())
        + "; check that a ProjectionRunner runs it (Projections.status) or wait longer");
    this.status = status;
    this.position = position;
  }

  /**
   * Creates the exception for a live projection, which has no status.
   *
   * @param position the position waited for
   * @param reached the position it had reached
   */
  public ProjectionTimeoutException(long position, long reached) {
    super("the live projection did not reach position " + position + " in time: it is at " + reached
        + "; wait longer, or check that the position is one of its events");
    this.status = null;
    this.position = position;
  }

  /** The status at the timeout; null for a live projection. */
  public @Nullable ProjectionStatus status() {
    return status;
  }

  /** The position waited for. */
  public long position() {
    return position;
  }
}
