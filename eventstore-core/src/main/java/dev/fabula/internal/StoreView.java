package dev.fabula.internal;

import dev.fabula.spi.Appends;
import dev.fabula.spi.Backend;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.TenantAccessException;
import dev.fabula.TransactionCallback;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The public face of a {@link Backend}: the unconfined store, or a view confined to one tenant. */
public final class StoreView implements EventStore {
  private final Backend backend;
  private final @Nullable String tenant;

  /** Creates the view; {@code tenant} null for the unconfined store. */
  public StoreView(Backend backend, @Nullable String tenant) {
    this.backend = backend;
    this.tenant = tenant;
  }

  /** The backend behind this view. */
  public Backend backend() {
    return backend;
  }

  /** The tenant this view is confined to, or null. */
  public @Nullable String tenant() {
    return tenant;
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    if (events == null) {
      throw new InvalidInputException("events must not be null; pass at least one event");
    }
    return appendAll(List.of(new StreamAppend(streamId, expected, events))).get(0);
  }

  @Override
  public List<AppendResult> appendAll(List<StreamAppend> appends) {
    return backend.append(tenant, Appends.prepare(backend.config(), tenant, appends));
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, StreamRead read) {
    if (read == null) {
      throw new InvalidInputException("read must not be null; use StreamRead.forwards()");
    }
    return backend.readStream(tenant, Validation.streamId(streamId), read);
  }

  @Override
  public Stream<RecordedEvent> readAll(LogQuery query) {
    if (query == null) {
      throw new InvalidInputException("query must not be null; use LogQuery.all()");
    }
    if (tenant != null) {
      if (query.tenantId() != null && !query.tenantId().equals(tenant)) {
        throw new TenantAccessException("*", tenant);
      }
      query = query.tenant(tenant);
    }
    return backend.readAll(query);
  }

  @Override
  public Optional<StreamInfo> streamInfo(String streamId) {
    Optional<StreamInfo> info = backend.streamInfo(Validation.streamId(streamId));
    if (tenant != null && info.isPresent() && !tenant.equals(info.get().tenantId())) {
      throw new TenantAccessException(streamId, tenant);
    }
    return info;
  }

  @Override
  public long headPosition() {
    return backend.headPosition();
  }

  @Override
  public void deleteStream(String streamId, ExpectedVersion expected) {
    if (expected == null) {
      throw new InvalidInputException("expected version must not be null; use ExpectedVersion.any()");
    }
    backend.deleteStream(tenant, Validation.streamId(streamId), expected);
  }

  @Override
  public void hardDeleteStream(String streamId) {
    backend.hardDeleteStream(tenant, Validation.streamId(streamId));
  }

  @Override
  public EventStore forTenant(String tenantId) {
    Validation.tenantId(tenantId);
    if (tenant != null && !tenant.equals(tenantId)) {
      throw new TenantAccessException("*", tenantId);
    }
    return new StoreView(backend, tenantId);
  }

  @Override
  public <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X {
    if (work == null) {
      throw new InvalidInputException("work must not be null");
    }
    return backend.inTransaction(tenant, work);
  }

  @Override
  public EventTypes types() {
    return backend.config().eventTypes();
  }

  @Override
  public void close() {
    if (tenant == null) {
      backend.close();
    }
  }

  @Override
  public String toString() {
    return "EventStore[" + backend + (tenant == null ? "" : ", tenant=" + tenant) + "]";
  }
}
