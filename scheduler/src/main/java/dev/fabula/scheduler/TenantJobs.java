package dev.fabula.scheduler;

/**
 * Moves a tenant's jobs along with the tenant, when a tenant moves between databases ({@code
 * TenantMove} in {@code fabula-migration}; see {@code docs/tenant-databases.md}).
 *
 * <p>Which jobs move: the tenant's <b>pending</b> jobs without parent or dependents, each
 * re-enqueued in the target's queue (a new id; same type, payload, priority, due time, queue and
 * unique key; the attempts it has left) and cancelled in the source with a note naming its
 * replacement. What stays: jobs running now (they finish in the source database), jobs in a family
 * (a parent and the jobs that wait for it), finished jobs and their history. Run it after the
 * tenant's move has switched, and again later for the stragglers (a retry of a job that was
 * running during the move is pending in the source again): it is idempotent.
 */
public final class TenantJobs {
  private TenantJobs() {}

  /**
   * Moves {@code tenantId}'s pending jobs from the queue {@code from} to the queue {@code to}.
   *
   * @return how many jobs moved
   */
  public static int move(String tenantId, JobQueue from, JobQueue to) {
    if (tenantId == null || tenantId.isBlank()) {
      throw new dev.fabula.InvalidInputException("tenantId must not be blank");
    }
    return dev.fabula.scheduler.internal.TenantJobMover.move(tenantId, from, to);
  }
}
