package dev.fabula.projections;

/**
 * A runner no longer holds the lease of a projection: another runner took it (after this one
 * failed to renew it in time) or moved the checkpoint, or this runner's safe window passed (it was
 * paused, or its renewals failed, for most of a lease). The runner stops applying before the next
 * event, never moves the checkpoint (a transactional handler's writes of the batch are rolled
 * back), logs this exception's message, and goes back to taking the lease. An at-least-once
 * handler's {@link FencingToken#check} throws it too.
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
    this(projection, owner, position, "another runner took over or moved the checkpoint; this batch did not move "
        + "the checkpoint (a transactional handler's writes were rolled back)");
  }

  /**
   * Creates the exception, saying what happened.
   *
   * @param projection the projection version
   * @param owner the runner that lost the lease
   * @param position the checkpoint it had read
   * @param what what happened, for the message
   */
  public LostLeaseException(ProjectionId projection, String owner, long position, String what) {
    super("runner " + owner + " lost the lease of projection " + projection + " (checkpoint it read: "
        + position + "): " + what + ". It goes back to taking the lease. If this repeats, make "
        + "RunnerConfig.leaseDuration longer than your longest batch and GC pause");
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
