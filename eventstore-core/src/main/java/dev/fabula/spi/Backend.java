package dev.fabula.spi;

import dev.fabula.AppendResult;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.TransactionCallback;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What a storage backend implements; {@link #toEventStore} turns it into the public {@link
 * EventStore}, which validates input (with {@link Appends#prepare}) and confines tenants before
 * calling it. Every method with a {@code tenant} must enforce that a non-null tenant only touches
 * its own namespace: a tenant's streams and event ids are keyed by the tenant (null, the
 * unconfined store, is a namespace of its own), so another tenant's stream looks exactly like one
 * that does not exist. Implementations are
 * thread-safe and throw only {@link dev.fabula.EventStoreException}s.
 */
public interface Backend extends AutoCloseable {

  /** Wraps a backend into the public event store. */
  static EventStore toEventStore(Backend backend) {
    return new dev.fabula.internal.StoreView(backend, null);
  }

  /** The configuration. */
  EventStoreConfig config();

  /** Appends atomically in a transaction of its own. */
  List<AppendResult> append(@Nullable String tenant, List<PreparedAppend> appends);

  /** Reads part of one stream. */
  List<RecordedEvent> readStream(@Nullable String tenant, String streamId, StreamRead read);

  /** Reads the global log; {@link LogQuery#tenantId()} is already confined. */
  Stream<RecordedEvent> readAll(LogQuery query);

  /** A stream's state, in the tenant's namespace. */
  Optional<StreamInfo> streamInfo(@Nullable String tenant, String streamId);

  /**
   * The newest position that readAll may return now; for a tenant, the newest of its own events
   * at or below that.
   */
  long headPosition(@Nullable String tenant);

  /** Soft delete. */
  void deleteStream(@Nullable String tenant, String streamId, ExpectedVersion expected);

  /** Hard delete. */
  void hardDeleteStream(@Nullable String tenant, String streamId);

  /** Erases a subject or a stream in the tenant's namespace; see {@link EventStore#erase}. */
  default dev.fabula.ErasureRecord erase(@Nullable String tenant, dev.fabula.Erasure erasure) {
    throw new dev.fabula.InvalidInputException(getClass().getName() + " cannot erase subjects or streams");
  }

  /** The tenant's erasure records, newest first; {@code target} null for all. */
  default List<dev.fabula.ErasureRecord> erasures(@Nullable String tenant, dev.fabula.@Nullable Erasure target) {
    return List.of();
  }

  /** Retention and archiving, or null if this backend keeps no retention records. */
  default @Nullable RetentionStorage retentionStorage() {
    return null;
  }

  /** Runs a unit of work. */
  <R, X extends Exception> R inTransaction(@Nullable String tenant, TransactionCallback<R, X> work) throws X;

  @Override
  void close();
}
