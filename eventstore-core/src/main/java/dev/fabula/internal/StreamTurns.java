package dev.fabula.internal;

import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The turns that commands on one stream take within this process when a repository serialises
 * its writers ({@code RepositoryConfig.withSerializedWriters}). A command holds its stream's turn
 * from before it loads the aggregate until its append has committed, so the next command loads a
 * state that already holds the previous one's events and never conflicts with it.
 *
 * <p>A fixed set of fair locks, chosen by the hash of tenant and stream id: fair, so that the
 * writers of a hot stream are served in arrival order; striped, so that memory stays bounded
 * whatever the number of streams. Two streams that share a stripe merely take turns too. Nothing
 * waits here while holding a database connection: the lock is taken before the load. Shared by
 * every repository in the JVM. Thread-safe.
 */
final class StreamTurns {
  private static final int STRIPES = 1024;
  private static final ReentrantLock[] LOCKS = new ReentrantLock[STRIPES];

  static {
    for (int i = 0; i < STRIPES; i++) {
      LOCKS[i] = new ReentrantLock(true);
    }
  }

  private StreamTurns() {}

  /** The lock of {@code streamId} in {@code tenant}'s namespace (null: the unconfined store). */
  static ReentrantLock of(@Nullable String tenant, String streamId) {
    int hash = 31 * (tenant == null ? 0 : tenant.hashCode() + 1) + streamId.hashCode();
    return LOCKS[Math.floorMod(hash ^ (hash >>> 16), STRIPES)];
  }
}
