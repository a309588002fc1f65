package dev.fabula.internal;

import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RemovedRange;
import dev.fabula.StreamDeletedException;
import dev.fabula.Streams;
import dev.fabula.TruncatedRangeException;
import dev.fabula.spi.RetentionStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory backend's retention: removals, the archive and the record of removals, all under
 * the backend's one lock, which makes each call atomic as a database transaction would.
 */
final class InMemoryRetention implements RetentionStorage {

  /** A removal and the namespace of its stream. */
  private record Removal(@Nullable String tenant, RemovedRange range) {}

  private final InMemoryBackend store;
  private final List<Removal> removals = new ArrayList<>();
  private final Map<InMemoryBackend.Key<String>, List<RecordedEvent>> archive = new HashMap<>();
  private long lastRemovalId;

  InMemoryRetention(InMemoryBackend store) {
    this.store = store;
  }

  @Override
  public Optional<RemovedRange> truncate(@Nullable String tenant, String streamId, Cut cut) {
    store.lock.lock();
    try {
      InMemoryBackend.Key<String> key = new InMemoryBackend.Key<>(tenant, streamId);
      InMemoryBackend.StreamState state = store.streams.get(key);
      List<RecordedEvent> events = store.byStream.getOrDefault(key, List.of());
      if (state == null || events.isEmpty()) {
        return Optional.empty();
      }
      long before;
      if (cut instanceof BeforeVersion v) {
        before = v.version();
      } else if (cut instanceof KeepLast k) {
        before = state.version() - k.count() + 1;
      } else {
        Instant oldest = ((OlderThan) cut).instant();
        before = events.stream().filter(e -> !e.recordedAt().isBefore(oldest))
            .mapToLong(RecordedEvent::streamVersion).findFirst().orElse(state.version() + 1);
      }
      List<RecordedEvent> removed = events.stream().filter(e -> e.streamVersion() < before).toList();
      if (removed.isEmpty()) {
        return Optional.empty();
      }
      remove(key, removed);
      return Optional.of(record(tenant, streamId, RemovedRange.Kind.TRUNCATED, removed));
    } finally {
      store.lock.unlock();
    }
  }

  private void remove(InMemoryBackend.Key<String> key, List<RecordedEvent> removed) {
    store.byStream.get(key).removeAll(removed);
    store.log.removeAll(removed);
    removed.forEach(e -> store.byId.remove(InMemoryBackend.idKey(e)));
  }

  private RemovedRange record(@Nullable String tenant, String streamId, RemovedRange.Kind kind, List<RecordedEvent> removed) {
    RemovedRange range = new RemovedRange(++lastRemovalId, streamId, kind,
        removed.get(0).streamVersion(), removed.get(removed.size() - 1).streamVersion(),
        removed.stream().mapToLong(RecordedEvent::position).min().orElseThrow(),
        removed.stream().mapToLong(RecordedEvent::position).max().orElseThrow(),
        removed.size(), store.config().clock().instant());
    removals.add(new Removal(tenant, range));
    return range;
  }

  @Override
  public List<String> streamsOf(@Nullable String tenant, String category) {
    store.lock.lock();
    try {
      return store.byStream.entrySet().stream()
          .filter(e -> java.util.Objects.equals(e.getKey().tenant(), tenant) && !e.getValue().isEmpty()
              && Streams.category(e.getKey().id()).equals(category))
          .map(e -> e.getKey().id()).sorted().toList();
    } finally {
      store.lock.unlock();
    }
  }

  @Override
  public Optional<RemovedRange> archive(@Nullable String tenant, String streamId) {
    store.lock.lock();
    try {
      InMemoryBackend.Key<String> key = new InMemoryBackend.Key<>(tenant, streamId);
      InMemoryBackend.StreamState state = store.streams.get(key);
      if (state == null) {
        throw new InvalidInputException("cannot archive stream '" + streamId + "': it does not exist");
      }
      if (archive.containsKey(key)) {
        throw new dev.fabula.StreamArchivedException(streamId);
      }
      if (state.deleted()) {
        throw new StreamDeletedException(streamId);
      }
      List<RecordedEvent> events = List.copyOf(store.byStream.getOrDefault(key, List.of()));
      archive.put(key, events);
      store.streams.put(key, new InMemoryBackend.StreamState(state.version(), true));
      if (events.isEmpty()) {
        return Optional.empty();
      }
      remove(key, events);
      return Optional.of(record(tenant, streamId, RemovedRange.Kind.ARCHIVED, events));
    } finally {
      store.lock.unlock();
    }
  }

  @Override
  public void unarchive(@Nullable String tenant, String streamId) {
    store.lock.lock();
    try {
      InMemoryBackend.Key<String> key = new InMemoryBackend.Key<>(tenant, streamId);
      List<RecordedEvent> events = archive.remove(key);
      if (events == null) {
        throw new InvalidInputException("cannot unarchive stream '" + streamId + "': it is not archived");
      }
      store.byStream.computeIfAbsent(key, k -> new ArrayList<>()).addAll(0, events);
      store.log.addAll(events);
      store.log.sort(Comparator.comparingLong(RecordedEvent::position));
      events.forEach(e -> store.byId.put(InMemoryBackend.idKey(e), e));
      InMemoryBackend.StreamState state = store.streams.get(key);
      store.streams.put(key, new InMemoryBackend.StreamState(state.version(), false));
      removals.removeIf(r -> java.util.Objects.equals(r.tenant(), tenant) && r.range().streamId().equals(streamId)
          && r.range().kind() == RemovedRange.Kind.ARCHIVED);
    } finally {
      store.lock.unlock();
    }
  }

  @Override
  public boolean archived(@Nullable String tenant, String streamId) {
    store.lock.lock();
    try {
      return archive.containsKey(new InMemoryBackend.Key<>(tenant, streamId));
    } finally {
      store.lock.unlock();
    }
  }

  @Override
  public List<RecordedEvent> readArchived(@Nullable String tenant, String streamId) {
    store.lock.lock();
    try {
      return archive.getOrDefault(new InMemoryBackend.Key<>(tenant, streamId), List.of()).stream()
          .map(InMemoryBackend::copy).toList();
    } finally {
      store.lock.unlock();
    }
  }

  @Override
  public List<RemovedRange> removedAfter(LogQuery query) {
    store.lock.lock();
    try {
      return crossed(query, query.afterPosition(), Long.MAX_VALUE);
    } finally {
      store.lock.unlock();
    }
  }

  /** Forgets a hard-deleted stream's archive and removal records (they hold its events and id). Under the lock. */
  void erase(InMemoryBackend.Key<String> key) {
    archive.remove(key);
    removals.removeIf(r -> java.util.Objects.equals(r.tenant(), key.tenant()) && r.range().streamId().equals(key.id()));
  }

  /** Throws if a read of {@code (after, until]} for {@code query} crosses a removal it concerns. Under the lock. */
  void check(LogQuery query, long after, long until) {
    if (removals.isEmpty()) {
      return;
    }
    List<RemovedRange> crossed = crossed(query, after, until);
    if (!crossed.isEmpty()) {
      throw new TruncatedRangeException(after, crossed);
    }
  }

  private List<RemovedRange> crossed(LogQuery query, long after, long until) {
    return removals.stream()
        .filter(r -> r.range().lastPosition() > after && r.range().firstPosition() <= until
            && query.concerns(r.range(), r.tenant() == null ? "" : r.tenant()))
        .map(Removal::range)
        .toList();
  }
}
