package dev.fabula.scheduler.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The worker pools of one queue running in this process, which the queue tells at once about what
 * concerns them: a job that may be due (after the enqueue's commit), changed controls, a cancelled
 * job. Pools in other processes learn of new jobs by NOTIFY on PostgreSQL or by polling, of
 * controls from the claim statements, which read them, and of a cancellation at their next lease
 * renewal. Thread-safe.
 */
final class LocalPools {
  private final List<DefaultWorkerPool> pools = new CopyOnWriteArrayList<>();

  void started(DefaultWorkerPool pool) {
    pools.add(pool);
  }

  void stopped(DefaultWorkerPool pool) {
    pools.remove(pool);
  }

  /** Wakes the pools: a job may be due. */
  void wake() {
    pools.forEach(DefaultWorkerPool::wake);
  }

  /** A job enqueued in this process is pending and due at {@code at}: the pools wake, then or now. */
  void dueAt(Instant at) {
    pools.forEach(p -> p.dueAt(at));
  }

  /** The controls changed: the pools read them again and look for work. */
  void controlsChanged() {
    pools.forEach(DefaultWorkerPool::controlsChanged);
  }

  /** Job {@code id} was cancelled: the pool running it interrupts its handler now. */
  void revoke(long id) {
    pools.forEach(p -> p.revoke(id));
  }
}
