package dev.fabula.projections.internal;

import dev.fabula.Transaction;
import dev.fabula.projections.ErasureHook;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.spi.ErasureParticipant;
import dev.fabula.spi.ErasureScope;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * The read models of the projections this process knows (built into a runner or inline
 * projections) that have an {@link ErasureHook}: registered on the store, so that an erasure calls
 * each hook in its transaction. Thread-safe.
 */
final class ReadModelErasure implements ErasureParticipant {
  private final Map<ProjectionId, Projection> projections = new ConcurrentHashMap<>();

  /** Adds the projections that have a hook; a projection added again replaces itself. */
  void add(Collection<Projection> list) {
    for (Projection p : list) {
      if (p.erasure() != ErasureHook.NONE) {
        projections.put(p.id(), p);
      }
    }
  }

  @Override
  public String name() {
    return "read_models";
  }

  @Override
  public long erase(ErasureScope scope, Transaction tx) {
    Handle h = tx.unwrap(Handle.class);
    long n = 0;
    for (Projection p : projections.values()) {
      try {
        n += p.erasure().erase(scope, h);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new ProjectionException("the erasure hook of projection " + p.id() + " failed, so nothing was erased: "
            + e.getMessage(), e);
      }
    }
    return n;
  }
}
