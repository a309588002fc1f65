package dev.fabula.projections;

/**
 * A projection is in the {@link ProjectionState#FAILED} state, so what was asked of it (waiting for
 * a position, promoting it) cannot happen until it is resumed or rebuilt.
 */
public class ProjectionFailedException extends ProjectionException {
  private static final long serialVersionUID = 1L;

  private final transient ProjectionStatus status;

  /** Creates the exception from the projection's status. */
  public ProjectionFailedException(ProjectionStatus status) {
    super("projection " + status.id() + " is FAILED at position " + status.failedPosition() + ": "
        + status.lastError() + "; fix the handler, then call Projections.resume(" + status.id()
        + "), or rebuild it");
    this.status = status;
  }

  /** The status when this was thrown. */
  public ProjectionStatus status() {
    return status;
  }
}
