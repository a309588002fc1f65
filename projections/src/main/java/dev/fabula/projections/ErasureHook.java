package dev.fabula.projections;

import dev.fabula.spi.ErasureScope;
import org.jdbi.v3.core.Handle;

/**
 * Erases a projection's read-model rows of an erased stream or subject ({@link
 * Projection#withErasure}), when {@link dev.fabula.EventStore#erase} runs in a process where the
 * projection is known to {@link Projections} (a runner or inline projections were built with it).
 * Runs in the erasure's transaction: a read model in the event store's database is erased together
 * with the events, or not at all.
 *
 * <pre>{@code
 * Projection.transactional("customers", handler).withErasure((scope, handle) ->
 *     scope.kind() == Erasure.Kind.SUBJECT
 *         ? handle.createUpdate("DELETE FROM customers WHERE customer_id = :id").bind("id", scope.target()).execute()
 *         : handle.createUpdate("DELETE FROM customers WHERE stream_id = :id").bind("id", scope.target()).execute());
 * }</pre>
 *
 * <p>Confine every statement to {@link ErasureScope#tenantId()} when the read model holds several
 * tenants' rows.
 */
@FunctionalInterface
public interface ErasureHook {

  /** Erases nothing: the projection's read model holds no copies of event data (the default). */
  ErasureHook NONE = (scope, handle) -> 0;

  /**
   * Erases the rows of {@code scope}.
   *
   * @param handle the erasure's open transaction
   * @return how many rows were erased (for the erasure record)
   * @throws Exception to refuse: the whole erasure rolls back
   */
  long erase(ErasureScope scope, Handle handle) throws Exception;
}
