package dev.fabula.scheduler.internal;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a worker pool's own threads are alive, and what it does when one dies: the pool stops
 * claiming, and its lease keeper stops renewing the leases of the jobs it holds, so that they
 * expire and other pools take them over (a lease is never renewed for work nobody does any
 * more). The first death is logged at ERROR and kept for {@code WorkerPool.failure()}.
 *
 * <p>Only a fatal error ({@link dev.fabula.internal.Fatal}: {@code OutOfMemoryError}) ends a pool's thread;
 * every other failure is logged and the thread goes on after a pause. Thread-safe.
 */
final class PoolHealth {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkerPool.class); // the pool's log, one name for its parts

  private final String workerId;
  private final Wakeup wakeup;
  private final AtomicReference<@Nullable String> failure = new AtomicReference<>();

  PoolHealth(String workerId, Wakeup wakeup) {
    this.workerId = workerId;
    this.wakeup = wakeup;
  }

  /** The pool's thread {@code thread} dies of {@code e}: the pool stops claiming and renewing. */
  void died(String thread, Throwable e) {
    String why = "its " + thread + " thread died of " + e;
    if (failure.compareAndSet(null, why)) {
      LOG.error("Worker pool {}: {}. It stops claiming, and the leases of the jobs it holds are no longer renewed: "
          + "other pools take them over once they expire. Close this pool and start a new one", workerId, why, e);
    }
    wakeup.stop();
  }

  /** Whether a thread of the pool died: nothing is to be renewed or claimed any more. */
  boolean dead() {
    return failure.get() != null;
  }

  /** Why the pool stopped working by itself, if it did. */
  Optional<String> failure() {
    return Optional.ofNullable(failure.get());
  }
}
