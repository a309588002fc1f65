package dev.fabula.projections;

import org.jdbi.v3.core.Handle;

/**
 * Clears a projection's read model before a rebuild (or drops its tables when a version is
 * retired). Runs in the transaction that resets the checkpoint to 0, so the read model and the
 * checkpoint never disagree for a transactional projection.
 */
@FunctionalInterface
public interface ResetHook {

  /** Does nothing: a rebuild then replays over the existing read model. */
  ResetHook NONE = handle -> {};

  /**
   * Clears the read model.
   *
   * @param handle the open transaction that resets the checkpoint
   * @throws Exception to refuse; the checkpoint is not reset
   */
  void reset(Handle handle) throws Exception;
}
