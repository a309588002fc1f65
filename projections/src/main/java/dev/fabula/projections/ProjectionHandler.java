package dev.fabula.projections;

/**
 * What a projection does with its events; one of two kinds, which decide the delivery guarantee.
 *
 * <ul>
 *   <li>{@link TransactionalHandler}: the read model is in the event store's database. The handler
 *       writes through the transaction that also moves the checkpoint, so each event's effect is
 *       applied exactly once, even across crashes and lease takeovers.
 *   <li>{@link AtLeastOnceHandler}: anything else (memory, caches, search indexes, HTTP). The
 *       checkpoint moves after the handler returns, so after a crash an event may be delivered
 *       again; use {@link dev.fabula.RecordedEvent#position()} to make the effect idempotent. A
 *       runner past its lease's safe window delivers nothing more; pass the {@link FencingToken}
 *       to systems that must refuse a holder that lost its lease.
 * </ul>
 */
public sealed interface ProjectionHandler permits TransactionalHandler, AtLeastOnceHandler {}
