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
   * This unit of work confined to one tenant, as {@link EventStore#forTenant} confines a store:
   * its appends stamp new streams with {@code tenantId} and refuse other tenants' streams. One
   * transaction of the unconfined store can so write for several tenants (an import of a legacy
   * table holding every customer's rows). A transaction already confined to a tenant gives only
   * itself.
   *
   * @throws TenantAccessException if this transaction is confined to another tenant
   * @throws InvalidInputException if the tenant id is not valid
   */
  Transaction forTenant(String tenantId);

  /** The tenant this unit of work is confined to ({@link #forTenant}), or null when unconfined. */
  @org.jspecify.annotations.Nullable String tenantId();

  /**
   * Returns the backend's transaction handle, for writing other rows in the same transaction: on
   * the JDBC backends {@code org.jdbi.v3.core.Handle} or {@code java.sql.Connection}.
   *
   * @throws EventStoreException if the backend has no handle of that type
   */
  <T> T unwrap(Class<T> type);
}
