package dev.fabula;

/**
 * Work done in one database transaction ({@link EventStore#inTransaction}). It may throw its own
 * checked exception type, which rolls the transaction back and reaches the caller unchanged.
 *
 * @param <R> the result type
 * @param <X> the checked exception the work may throw
 */
@FunctionalInterface
public interface TransactionCallback<R, X extends Exception> {
  /** Does the work; returning commits, throwing rolls back. */
  R inTransaction(Transaction tx) throws X;
}
