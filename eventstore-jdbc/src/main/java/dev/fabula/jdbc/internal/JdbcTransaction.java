package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamAppend;
import dev.fabula.Transaction;
import dev.fabula.internal.Validation;
import dev.fabula.spi.Appends;
import dev.fabula.spi.PreparedAppend;
import dev.fabula.spi.PreparedEvent;
import dev.fabula.spi.StreamLocking;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work on one Jdbi handle; valid only inside its callback.
 *
 * <p>With row-level security on, the transaction's tenant setting ({@code fabula.tenant_id}) is
 * the tenant of the view last used: the backend sets it to the transaction's tenant when it
 * begins, and a tenant's view of the transaction ({@link #forTenant}) moves it to its own tenant
 * when it appends or is unwrapped, the transaction itself moves it back the same way. So the
 * store's statements and the caller's own SQL on an unwrapped handle always run as the tenant of
 * the view they came from.
 */
final class JdbcTransaction implements StreamLocking {
  /** Sets the tenant for the rest of an open transaction (row-level security). */
  interface TenantSetting {
    void set(Handle handle, @Nullable String tenant);
  }

  private final EventStoreConfig config;
  private final Appender appender;
  private final Handle handle;
  private final @Nullable String tenant;
  private final @Nullable TenantSetting tenantSetting;
  /** The transaction the backend opened; a tenant's view of it shares its state. */
  private final JdbcTransaction root;
  private long lastPosition;
  /** What the transaction wrote, for settling a commit in doubt; null until it writes events. */
  private @Nullable Written written;
  private boolean open = true;
  /** The tenant the database has set for this transaction now (row-level security only). */
  private @Nullable String tenantSet;

  /**
   * @param tenantSetting how to move the tenant setting; null when row-level security is off. The
   *     caller has set it to {@code tenant} already.
   */
  JdbcTransaction(
      EventStoreConfig config, Appender appender, Handle handle, @Nullable String tenant, @Nullable TenantSetting tenantSetting) {
    this.config = config;
    this.appender = appender;
    this.handle = handle;
    this.tenant = tenant;
    this.tenantSetting = tenantSetting;
    this.root = this;
    this.tenantSet = tenant;
  }

  private JdbcTransaction(JdbcTransaction root, String tenant) {
    this.config = root.config;
    this.appender = root.appender;
    this.handle = root.handle;
    this.tenant = tenant;
    this.tenantSetting = root.tenantSetting;
    this.root = root;
  }

  @Override
  public @Nullable String tenantId() {
    return tenant;
  }

  @Override
  public Transaction forTenant(String tenantId) {
    checkOpen();
    String confined = Validation.narrowTenant(tenant, tenantId);
    return confined.equals(tenant) ? this : new JdbcTransaction(root, confined);
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    return appendAll(List.of(new StreamAppend(streamId, expected, events))).get(0);
  }

  @Override
  public List<AppendResult> appendAll(List<StreamAppend> appends) {
    if (config.personalData().isEmpty()) {
      return appendPrepared(Appends.prepare(config, tenant, appends));
    }
    // Data keys an append needs are created in this transaction (see JdbcKeys).
    return JdbcKeys.joining(handle(), () -> appendPrepared(Appends.prepare(config, tenant, appends)));
  }

  @Override
  public void lockStream(String streamId) {
    checkOpen();
    setTenant();
    appender.lockStream(handle, tenant, Validation.streamId(streamId));
  }

  /** Appends already validated appends. */
  List<AppendResult> appendPrepared(List<PreparedAppend> appends) {
    checkOpen();
    setTenant();
    List<AppendResult> results = appender.appendIn(handle, tenant, appends);
    results.forEach(r -> root.lastPosition = Math.max(root.lastPosition, r.lastPosition()));
    if (!results.stream().allMatch(AppendResult::replayed)) {
      List<UUID> ids = appends.stream().flatMap(a -> a.events().stream()).map(PreparedEvent::eventId).toList();
      root.written = root.written == null ? new Written(tenant, ids, ids) : root.written.and(ids);
    }
    return results;
  }

  /**
   * The events a transaction wrote: the first batch's tenant and ids (enough to tell whether the
   * transaction committed) and every written id (what a retry must reuse).
   */
  record Written(@Nullable String tenant, List<UUID> firstIds, List<UUID> allIds) {
    Written and(List<UUID> more) {
      List<UUID> all = new java.util.ArrayList<>(allIds);
      all.addAll(more);
      return new Written(tenant, firstIds, List.copyOf(all));
    }
  }

  /** What the transaction wrote; null when it appended no new events. */
  @Nullable Written written() {
    return root.written;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    setTenant();
    if (type == Handle.class) {
      return type.cast(handle);
    }
    if (type == Connection.class) {
      return type.cast(handle.getConnection());
    }
    throw new EventStoreException(
        "a JDBC transaction unwraps to org.jdbi.v3.core.Handle or java.sql.Connection, not " + type.getName());
  }

  /** The transaction's handle, for the store's own statements. */
  Handle handle() {
    checkOpen();
    setTenant();
    return handle;
  }

  long lastPosition() {
    return lastPosition;
  }

  void close() {
    open = false;
  }

  /** Moves the tenant setting to this view's tenant when row-level security is on and it differs. */
  private void setTenant() {
    if (tenantSetting != null && !java.util.Objects.equals(root.tenantSet, tenant)) {
      tenantSetting.set(handle, tenant);
      root.tenantSet = tenant;
    }
  }

  private void checkOpen() {
    if (!root.open) {
      throw new EventStoreException("this transaction is finished; use the Transaction only inside its callback");
    }
  }
}
