package dev.fabula.projections;

/**
 * A runner tried to move a checkpoint it no longer owns: another runner took the lease (after this
 * one failed to renew it in time) or moved the checkpoint. The transaction was rolled back, so
 * nothing of the batch took effect; the runner stops applying and goes back to standby.
 */
public class LostLeaseException extends ProjectionException {
  private static final long serialVersionUID = 1L;

  private final ProjectionId projection;
  private final String owner;
  private final long position;

  /**
   * Creates the exception.
   *
   * @param projection the projection version
   * @param owner the runner that lost the lease
   * @param position the checkpoint it had read
   */
  public LostLeaseException(ProjectionId projection, String owner, long position) {
    super("runner " + owner + " lost the lease of projection " + projection + " (checkpoint it read: "
        + position + "): another runner took over or moved the checkpoint; this batch was rolled back. "
        + "If this repeats, make RunnerConfig.leaseDuration longer than your longest batch and GC pause");
    this.projection = projection;
    this.owner = owner;
    this.position = position;
  }

  /** The projection version. */
  public ProjectionId projection() {
    return projection;
  }

  /** The runner that lost the lease. */
  public String owner() {
    return owner;
  }

  /** The checkpoint it had read. */
  public long position() {
    return position;
  }
}
