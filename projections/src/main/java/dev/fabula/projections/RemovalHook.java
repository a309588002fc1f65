package dev.fabula.projections;

import dev.fabula.RemovedRange;
import java.util.List;

/**
 * What a projection does when its next read would pass over events that retention removed ({@link
 * dev.fabula.Retention}: truncated or archived after its checkpoint, or before position 1 for a
 * rebuild). The runner never skips them silently: it calls this hook with exactly the ranges it
 * cannot see ({@link RemovedRange}: stream, versions, positions), on the projection's thread,
 * outside any transaction.
 *
 * <p>Returning {@code true} accepts them: the runner reads on past them (the read model lacks those
 * events; record that, if it matters, before returning). Returning {@code false} ({@link #STOP},
 * the default) or throwing leaves the projection where it is: the runner records the {@link
 * dev.fabula.TruncatedRangeException} as its last error (visible in its status) and tries again with
 * backoff, until a rebuild, an unarchive, or new code that accepts. A runner remembers what it
 * accepted until it stops, so the hook may be called again for the same ranges after a restart:
 * make it idempotent.
 */
@FunctionalInterface
public interface RemovalHook {

  /** Accepts nothing: a projection behind a removed range stops there, with the error in its status. */
  RemovalHook STOP = ranges -> false;

  /**
   * Decides whether the projection reads on past {@code ranges}.
   *
   * @param ranges the removed ranges the next read crosses, oldest removal first
   * @return true to read on past them
   * @throws Exception to stop, as with false, with this error recorded
   */
  boolean accept(List<RemovedRange> ranges) throws Exception;
}
