package dev.fabula.scheduler.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs a worker pool holds, each from its claim until its outcome is written (or it is given
 * back at shutdown). The lease keeper renews the leases of exactly these, so a job whose handler
 * finished keeps its lease until its outcome is in the database.
 *
 * <p>Thread-safe: the dispatcher adds, whoever writes outcomes removes, the keeper, cancellation
 * and shutdown look.
 */
final class HeldJobs {
  private final Map<Long, Running> byId = new ConcurrentHashMap<>();

  void add(Running r) {
    byId.put(r.job.id(), r);
  }

  /** The outcomes of {@code batch} are written (or will never be): their jobs are no longer held. */
  void written(List<Outcome> batch) {
    batch.forEach(o -> byId.remove(o.running().job.id()));
  }

  boolean holds(long id) {
    return byId.containsKey(id);
  }

  /** The held jobs now; later claims and writes do not change it. */
  List<Running> snapshot() {
    return List.copyOf(byId.values());
  }

  /** Job {@code id} was cancelled in this process: marks its lease lost and interrupts its handler now. */
  void revoke(long id) {
    Running r = byId.get(id);
    if (r != null) {
      r.lost = true;
      r.interrupt();
    }
  }
}
