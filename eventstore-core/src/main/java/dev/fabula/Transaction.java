package dev.fabula;

import java.util.List;

/**
 * An open database transaction of the event store (a unit of work): events appended through it,
 * and whatever else the caller writes on the same connection (read-model rows, jobs), commit
 * together or not at all.
 *
 * <p>Only valid inside the {@link EventStore#inTransaction} callback that received it, and only
 * on that thread.
 */
public interface Transaction {

  /** Appends to one stream, as {@link EventStore#append}, in this transaction. */
  AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events);

  /** Appends to several streams, as {@link EventStore#appendAll}, in this transaction. */
  List<AppendResult> appendAll(List<StreamAppend> appends);

  /**
   * Returns the backend's transaction handle, for writing other rows in the same transaction: on
   * the JDBC backends {@code org.jdbi.v3.core.Handle} or {@code java.sql.Connection}.
   *
   * @throws EventStoreException if the backend has no handle of that type
   */
  <T> T unwrap(Class<T> type);
}
