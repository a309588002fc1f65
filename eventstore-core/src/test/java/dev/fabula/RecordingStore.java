package dev.fabula;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** An event store that records the stream reads it passes on, to check what a load reads. */
final class RecordingStore implements EventStore {
  private final EventStore store;
  final List<StreamRead> reads = new CopyOnWriteArrayList<>();
  /** Stored events returned by stream reads, counted after upcasting. */
  final java.util.concurrent.atomic.AtomicLong eventsRead = new java.util.concurrent.atomic.AtomicLong();

  RecordingStore(EventStore store) {
    this.store = store;
  }

  void reset() {
    reads.clear();
    eventsRead.set(0);
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    return store.append(streamId, expected, events);
  }

  @Override
  public List<AppendResult> appendAll(List<StreamAppend> appends) {
    return store.appendAll(appends);
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, StreamRead read) {
    reads.add(read);
    List<RecordedEvent> events = store.readStream(streamId, read);
    eventsRead.addAndGet(events.size());
    return events;
  }

  @Override
  public Stream<RecordedEvent> readAll(LogQuery query) {
    return store.readAll(query);
  }

  @Override
  public Optional<StreamInfo> streamInfo(String streamId) {
    return store.streamInfo(streamId);
  }

  @Override
  public long headPosition() {
    return store.headPosition();
  }

  @Override
  public void deleteStream(String streamId, ExpectedVersion expected) {
    store.deleteStream(streamId, expected);
  }

  @Override
  public void hardDeleteStream(String streamId) {
    store.hardDeleteStream(streamId);
  }

  @Override
  public EventStore forTenant(String tenantId) {
    return store.forTenant(tenantId);
  }

  @Override
  public @org.jspecify.annotations.Nullable String tenantId() {
    return store.tenantId();
  }

  @Override
  public <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X {
    return store.inTransaction(work);
  }

  @Override
  public EventTypes types() {
    return store.types();
  }

  @Override
  public void close() {
    store.close();
  }
}
