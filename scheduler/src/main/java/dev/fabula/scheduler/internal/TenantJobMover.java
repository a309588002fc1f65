package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobState;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code TenantJobs.move}: re-enqueues a tenant's pending jobs in another database's queue.
 *
 * <p>Each job moves in one transaction of the target's store, confined to the tenant: the copy is
 * enqueued, then the original is taken out of the source ({@code move_out}, which takes only a
 * job still pending, so a job a worker claimed meanwhile is never run twice); if the source did not
 * give it up the target's transaction rolls back. Should the target's commit fail after the
 * source gave the job up, the original is put back ({@link JobQueue#retry}) and the error thrown.
 */
public final class TenantJobMover {
  private static final Logger LOG = LoggerFactory.getLogger(TenantJobMover.class);
  private static final int PAGE = 200;

  private TenantJobMover() {}

  /** The job was not taken out of the source: it stays there. */
  private static final class NotTaken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotTaken() {
      super(null, null, false, false);
    }
  }

  /** See {@code TenantJobs.move}. */
  public static int move(String tenant, JobQueue fromQueue, JobQueue toQueue) {
    DefaultJobQueue from = (DefaultJobQueue) fromQueue;
    DefaultJobQueue to = (DefaultJobQueue) toQueue;
    int moved = 0;
    long after = 0;
    while (true) {
      List<Job> page = from.list(JobQuery.ALL.withState(JobState.PENDING).withAfterId(after).withLimit(PAGE));
      if (page.isEmpty()) {
        return moved;
      }
      after = page.get(page.size() - 1).id();
      for (Job job : page) {
        if (tenant.equals(job.tenantId()) && job.parentId() == null && moveOne(tenant, job, from, to)) {
          moved++;
        }
      }
    }
  }

  private static boolean moveOne(String tenant, Job job, DefaultJobQueue from, DefaultJobQueue to) {
    JobRequest request = new JobRequest(job.type(), job.payload(), job.priority(), job.runAt(), null, job.queue(),
        Math.max(1, job.maxAttempts() - job.attempt()), job.uniqueKey(), null, false);
    boolean[] taken = {false};
    try {
      Job copy = to.db.store.forTenant(tenant).inTransaction(tx -> {
        Job enqueued = to.enqueue(tx, request);
        Instant now = from.db.now();
        taken[0] = from.db.write("moving a job out of this database", h -> h.createUpdate(from.db.sql.get("move_out"))
            .bind("id", job.id()).bind("tenant_id", tenant).bind("note", "moved to another database as job " + enqueued.id())
            .bind("now", from.db.time(now)).execute()) == 1;
        if (!taken[0]) {
          throw new NotTaken();
        }
        return enqueued;
      });
      LOG.debug("Moved job {} of a tenant to another database as job {}", job.id(), copy.id());
      return true;
    } catch (NotTaken e) {
      return false;
    } catch (RuntimeException e) {
      if (taken[0]) {
        LOG.error("Moving job {} to another database failed after it was taken out of its queue; putting it back", job.id(), e);
        from.retry(job.id());
      }
      throw e;
    }
  }
}
