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
import java.sql.Connection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** A unit of work on one Jdbi handle; valid only inside its callback. */
final class JdbcTransaction implements Transaction {
  private final EventStoreConfig config;
  private final Appender appender;
  private final Handle handle;
  private final @Nullable String tenant;
  /** The transaction the backend opened; a tenant's view of it shares its state. */
  private final JdbcTransaction root;
  private long lastPosition;
  private boolean open = true;

  JdbcTransaction(EventStoreConfig config, Appender appender, Handle handle, @Nullable String tenant) {
    this.config = config;
    this.appender = appender;
    this.handle = handle;
    this.tenant = tenant;
    this.root = this;
  }

  private JdbcTransaction(JdbcTransaction root, String tenant) {
    this.config = root.config;
    this.appender = root.appender;
    this.handle = root.handle;
    this.tenant = tenant;
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
    return appendPrepared(Appends.prepare(config, tenant, appends));
  }

  /** Appends already validated appends. */
  List<AppendResult> appendPrepared(List<PreparedAppend> appends) {
    checkOpen();
    List<AppendResult> results = appender.appendIn(handle, tenant, appends);
    results.forEach(r -> root.lastPosition = Math.max(root.lastPosition, r.lastPosition()));
    return results;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
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
    return handle;
  }

  long lastPosition() {
    return lastPosition;
  }

  void close() {
    open = false;
  }

  private void checkOpen() {
    if (!root.open) {
      throw new EventStoreException("this transaction is finished; use the Transaction only inside its callback");
    }
  }
}
