package dev.fabula.spi;

import dev.fabula.Transaction;

/**
 * A {@link Transaction} that can lock one stream until it ends, so that writers in other
 * processes that lock the same stream wait for it. The aggregate repository's serialised writers
 * ({@code RepositoryConfig.withSerializedWriters}) lock the aggregate's stream before they load it,
 * which makes their load, decision and append one turn across every process on the database.
 *
 * <p>A backend whose transactions already exclude each other (SQLite's one writer, the in-memory
 * store's lock) needs not implement it. The lock guards only against other lockers: a plain append
 * to the stream does not wait for it, and its expected-version check still catches what it
 * changed.
 */
public interface StreamLocking extends Transaction {

  /**
   * Waits until no other transaction holds the lock of {@code streamId} in this transaction's
   * namespace, then holds it until this transaction commits or rolls back. The stream need not
   * exist: two transactions about to create it take turns too. Locking again in the same
   * transaction returns at once.
   *
   * @throws dev.fabula.EventStoreException if the wait exceeds the store's lock timeout, or the
   *     connection fails
   */
  void lockStream(String streamId);
}
