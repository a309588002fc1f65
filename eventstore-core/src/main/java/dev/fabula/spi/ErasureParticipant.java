package dev.fabula.spi;

import dev.fabula.Transaction;

/**
 * Something that keeps copies of events' data and erases them when {@link
 * dev.fabula.EventStore#erase} erases a subject or a stream: the modules' tables (dead letters,
 * job payloads, import failures, through {@code ComponentProvider#erasure} on a JDBC store) and
 * the read models of projections ({@code dev.fabula.projections.ErasureHook}).
 *
 * <p><b>Contract.</b> {@link #erase} runs in the erasure's transaction, after the store has found
 * the events concerned and before it deletes them; it erases, within {@link ErasureScope#tenantId}
 * only, every row it keeps that belongs to the scope, and returns how many rows it erased (for the
 * {@link dev.fabula.ErasureRecord}). It is idempotent: erasing again finds nothing. Throwing rolls
 * the whole erasure back. Implementations are thread-safe.
 */
public interface ErasureParticipant {

  /** A short stable name for the erasure record's counts ({@code projections}, {@code scheduler}). */
  String name();

  /**
   * Erases the scope's rows.
   *
   * @param tx the erasure's transaction: {@code tx.unwrap(org.jdbi.v3.core.Handle.class)} on a
   *     JDBC store
   * @return how many rows were erased
   */
  long erase(ErasureScope scope, Transaction tx);
}
