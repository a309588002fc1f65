package dev.fabula.internal;

import dev.fabula.spi.Appends;
import dev.fabula.spi.Backend;
import dev.fabula.spi.PreparedAppend;
import dev.fabula.spi.RetentionStorage;

import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.Transaction;
import dev.fabula.TransactionCallback;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterators;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Events in this process's memory, for fast tests of user code. One lock serialises every
 * operation, and a unit of work holds it until it commits, so readers never see uncommitted events.
 * It passes the same contract suite as the database backends.
 */
public final class InMemoryBackend implements Backend {

  record StreamState(long version, boolean deleted) {}

  /** A stream id or an event id in a tenant's namespace (null: the unconfined store's). */
  record Key<T>(@Nullable String tenant, T id) {}

  private static final int PAGE = 512;

  private final EventStoreConfig config;
  // Package-private for InMemoryRetention, which works under the same lock.
  final ReentrantLock lock = new ReentrantLock();
  final List<RecordedEvent> log = new ArrayList<>();
  final Map<Key<String>, StreamState> streams = new HashMap<>();
  final Map<Key<String>, List<RecordedEvent>> byStream = new HashMap<>();
  final Map<Key<java.util.UUID>, RecordedEvent> byId = new HashMap<>();
  private final InMemoryRetention retention = new InMemoryRetention(this);
  private long lastPosition;
  private final InMemoryErasures erasures = new InMemoryErasures();

  private InMemoryBackend(EventStoreConfig config) {
    this.config = dev.fabula.spi.KeyStores.resolve(config, InMemoryKeyStore::new);
  }

  /** Opens an empty in-memory store. */
  public static EventStore open(EventStoreConfig config) {
    return Backend.toEventStore(new InMemoryBackend(config));
  }

  @Override
  public EventStoreConfig config() {
    return config;
  }

  @Override
  public List<AppendResult> append(@Nullable String tenant, List<PreparedAppend> appends) {
    return inTransaction(tenant, tx -> ((Tx) tx).appendPrepared(appends));
  }

  @Override
  public <R, X extends Exception> R inTransaction(@Nullable String tenant, TransactionCallback<R, X> work) throws X {
    lock.lock();
    try {
      // Signpost: remember enough to undo everything the work does if it throws.
      int logSize = log.size();
      Map<Key<String>, StreamState> streamsBefore = new HashMap<>(streams);
      Tx tx = new Tx(tenant);
      boolean committed = false;
      try {
        R result = work.inTransaction(tx);
        committed = true;
        return result;
      } finally {
        tx.open = false;
        if (!committed) {
          for (RecordedEvent e : log.subList(logSize, log.size())) {
            byId.remove(idKey(e));
            List<RecordedEvent> list = byStream.get(streamKey(e));
            list.remove(list.size() - 1);
          }
          log.subList(logSize, log.size()).clear();
          streams.clear();
          streams.putAll(streamsBefore);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private final class Tx implements Transaction {
    private final @Nullable String tenant;
    private final @Nullable Tx root;
    private boolean open = true;

    Tx(@Nullable String tenant) {
      this(tenant, null);
    }

    private Tx(@Nullable String tenant, @Nullable Tx root) {
      this.tenant = tenant;
      this.root = root;
    }

    @Override
    public @Nullable String tenantId() {
      return tenant;
    }

    @Override
    public Transaction forTenant(String tenantId) {
      String confined = Validation.narrowTenant(tenant, tenantId);
      return confined.equals(tenant) ? this : new Tx(confined, root != null ? root : this);
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expected, List<dev.fabula.EventData> events) {
      return appendAll(List.of(new StreamAppend(streamId, expected, events))).get(0);
    }

    @Override
    public List<AppendResult> appendAll(List<StreamAppend> appends) {
      return appendPrepared(Appends.prepare(config, tenant, appends));
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      throw new EventStoreException("the in-memory store has no " + type.getName() + "; use a JDBC store for this unit of work");
    }

    List<AppendResult> appendPrepared(List<PreparedAppend> appends) {
      if (!(root != null ? root.open : open)) {
        throw new EventStoreException("this transaction is finished; use the Transaction only inside its callback");
      }
      List<AppendResult> results = new ArrayList<>();
      for (PreparedAppend a : appends) {
        results.add(appendOne(tenant, a));
      }
      return results;
    }
  }

  private AppendResult appendOne(@Nullable String tenant, PreparedAppend a) {
    List<RecordedEvent> existing = new ArrayList<>();
    for (var e : a.events()) {
      RecordedEvent stored = byId.get(new Key<>(tenant, e.eventId()));
      if (stored != null) {
        existing.add(stored);
      }
    }
    Key<String> key = new Key<>(tenant, a.streamId());
    StreamState state = streams.get(key);
    if (!existing.isEmpty()) {
      return a.replayedFrom(existing);
    }
    if (state != null && state.deleted()) {
      throw new StreamDeletedException(a.streamId());
    }
    long version = state == null ? -1 : state.version();
    if (!PreparedAppend.holds(a.expected(), version)) {
      throw new ConcurrencyException(a.streamId(), a.expected(), version);
    }
    long next = Math.max(version, 0);
    Instant now = config.clock().instant();
    List<RecordedEvent> list = byStream.computeIfAbsent(key, k -> new ArrayList<>());
    long firstPosition = 0;
    for (var e : a.events()) {
      next++;
      lastPosition++;
      if (firstPosition == 0) {
        firstPosition = lastPosition;
      }
      Metadata md = e.metadata().withTenantId(tenant);
      RecordedEvent recorded = new RecordedEvent(
          lastPosition, a.streamId(), next, e.eventId(), e.type(), e.schemaVersion(), e.payload().deepCopy(), md, now);
      log.add(recorded);
      list.add(recorded);
      byId.put(new Key<>(tenant, e.eventId()), recorded);
    }
    streams.put(key, new StreamState(next, false));
    return new AppendResult(a.streamId(), Math.max(version, 0) + 1, next, firstPosition, lastPosition);
  }

  static Key<String> streamKey(RecordedEvent e) {
    return new Key<>(e.metadata().tenantId(), e.streamId());
  }

  static Key<java.util.UUID> idKey(RecordedEvent e) {
    return new Key<>(e.metadata().tenantId(), e.eventId());
  }

  @Override
  public List<RecordedEvent> readStream(@Nullable String tenant, String streamId, StreamRead read) {
    lock.lock();
    try {
      StreamState state = streams.get(new Key<>(tenant, streamId));
      if (state == null) {
        return List.of();
      }
      if (state.deleted()) {
        throw new StreamDeletedException(streamId);
      }
      List<RecordedEvent> events = byStream.getOrDefault(new Key<>(tenant, streamId), List.of());
      List<RecordedEvent> out = new ArrayList<>();
      // By version, not by index: retention may have removed a stream's oldest events.
      if (read.direction() == StreamRead.Direction.FORWARDS) {
        for (int i = 0; i < events.size() && out.size() < read.limit(); i++) {
          if (events.get(i).streamVersion() >= read.fromVersion()) {
            out.add(copy(events.get(i)));
          }
        }
      } else {
        for (int i = events.size() - 1; i >= 0 && out.size() < read.limit(); i--) {
          if (events.get(i).streamVersion() <= read.fromVersion()) {
            out.add(copy(events.get(i)));
          }
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  static RecordedEvent copy(RecordedEvent e) {
    return new RecordedEvent(e.position(), e.streamId(), e.streamVersion(), e.eventId(), e.type(),
        e.schemaVersion(), e.payload().deepCopy(), e.metadata(), e.recordedAt());
  }

  @Override
  public Stream<RecordedEvent> readAll(LogQuery query) {
    Iterator<RecordedEvent> pages = new Iterator<>() {
      private long after = query.afterPosition();
      private long remaining = query.limit();
      private Iterator<RecordedEvent> page = List.<RecordedEvent>of().iterator();
      private boolean exhausted;

      @Override
      public boolean hasNext() {
        while (!page.hasNext() && !exhausted && remaining > 0) {
          List<RecordedEvent> next = page(after, (int) Math.min(PAGE, remaining), query);
          exhausted = next.isEmpty();
          if (!exhausted) {
            after = next.get(next.size() - 1).position();
          }
          page = next.iterator();
        }
        return page.hasNext() && remaining > 0;
      }

      @Override
      public RecordedEvent next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        remaining--;
        return page.next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, 0), false);
  }

  private List<RecordedEvent> page(long after, int size, LogQuery query) {
    lock.lock();
    try {
      int lo = 0;
      int hi = log.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (log.get(mid).position() <= after) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      List<RecordedEvent> out = new ArrayList<>();
      for (int i = lo; i < log.size() && out.size() < size; i++) {
        RecordedEvent e = log.get(i);
        if (query.matches(e)) {
          out.add(copy(e));
        } else if (out.isEmpty() && i == log.size() - 1) {
          break;
        }
      }
      long until = out.size() == size ? out.get(out.size() - 1).position() : Long.MAX_VALUE;
      retention.check(query, after, until);
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<StreamInfo> streamInfo(@Nullable String tenant, String streamId) {
    lock.lock();
    try {
      StreamState s = streams.get(new Key<>(tenant, streamId));
      return s == null ? Optional.empty() : Optional.of(new StreamInfo(streamId, s.version(), tenant, s.deleted()));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long headPosition(@Nullable String tenant) {
    lock.lock();
    try {
      for (int i = log.size() - 1; i >= 0; i--) {
        if (tenant == null || tenant.equals(log.get(i).metadata().tenantId())) {
          return log.get(i).position();
        }
      }
      return 0;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void deleteStream(@Nullable String tenant, String streamId, ExpectedVersion expected) {
    lock.lock();
    try {
      Key<String> key = new Key<>(tenant, streamId);
      StreamState s = streams.get(key);
      if (s != null && s.deleted()) {
        throw new StreamDeletedException(streamId);
      }
      long version = s == null ? -1 : s.version();
      if (!PreparedAppend.holds(expected, version)) {
        throw new ConcurrencyException(streamId, expected, version);
      }
      streams.put(key, new StreamState(Math.max(version, 0), true));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public dev.fabula.ErasureRecord erase(@Nullable String tenant, dev.fabula.Erasure erasure) {
    return erasures.erase(this, tenant, erasure);
  }

  @Override
  public List<dev.fabula.ErasureRecord> erasures(@Nullable String tenant, dev.fabula.@Nullable Erasure target) {
    return erasures.list(tenant, target);
  }

  @Override
  public void hardDeleteStream(@Nullable String tenant, String streamId) {
    lock.lock();
    try {
      Key<String> key = new Key<>(tenant, streamId);
      StreamState s = streams.get(key);
      log.removeIf(e -> streamKey(e).equals(key));
      List<RecordedEvent> removed = byStream.remove(key);
      if (removed != null) {
        removed.forEach(e -> byId.remove(idKey(e)));
      }
      streams.put(key, new StreamState(s == null ? 0 : s.version(), true));
      retention.erase(key);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public RetentionStorage retentionStorage() {
    return retention;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "in-memory";
  }
}
