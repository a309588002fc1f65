package dev.fabula.projections;

import org.jdbi.v3.core.Handle;

/**
 * Clears a projection's read model before a rebuild (or drops its tables when a version is
 * retired). Runs in the transaction that resets the checkpoint to 0, so the read model and the
 * checkpoint never disagree for a transactional projection.
 */
@FunctionalInterface
public interface ResetHook {

  /**
   * Does nothing. As a projection's reset hook (the default) it counts as none: such a projection
   * is rebuilt only if it declares {@link Projection#withIdempotentReplay}, since a replay over its
   * rows would apply every event twice. As {@link Projections#drop}'s hook it drops nothing.
   */
  ResetHook NONE = handle -> {};

  /**
   * Clears the read model.
   *
   * @param handle the open transaction that resets the checkpoint
   * @throws Exception to refuse; the checkpoint is not reset
   */
  void reset(Handle handle) throws Exception;
}
