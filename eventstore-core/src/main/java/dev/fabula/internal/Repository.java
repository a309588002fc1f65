package dev.fabula.internal;

import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.AppendResult;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.Decision;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.HistoryEntry;
import dev.fabula.InvalidInputException;
import dev.fabula.Metadata;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.Transaction;
import dev.fabula.UnknownEventTypeException;
import dev.fabula.spi.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregate repository: loads by snapshot plus replay, handles commands with optimistic retries.
 *
 * <p><b>Loading</b> reads the stream's version first ({@link EventStore#streamInfo}), then the
 * snapshot, then the events after the snapshot up to that version, page by page. Reading up to a
 * known version, rather than "until the stream ends", keeps the result exact when upcasters drop or
 * split events: every stored event up to the version was read, whatever the reads returned.
 * {@link Snapshots} decides where a load starts and when a snapshot is saved.
 *
 * <p><b>Handling</b> is load, decide, append with the loaded version expected; a {@link
 * ConcurrencyException} means another writer appended first and nothing was written, so the loop
 * loads and decides again, after a jittered, growing wait ({@link RepositoryConfig#retryBackoff}).
 * The store's expected-version check is what keeps the stream consistent. With {@link
 * RepositoryConfig#serializedWriters} the commands of this process on one stream also take turns
 * ({@link StreamTurns}), holding the stream's turn from before the load until the append returns,
 * so they do not conflict with each other; without it no lock is held between load and append.
 */
public final class Repository<S, C, E> implements AggregateRepository<S, C, E> {
  private static final Logger LOG = LoggerFactory.getLogger(Repository.class);

  /** Events per read when replaying a stream. */
  static final int PAGE = 1000;

  private final EventStore store;
  private final Aggregate<S, C, E> aggregate;
  private final RepositoryConfig config;
  private final Snapshots<S> snapshots;

  private Repository(EventStore store, Aggregate<S, C, E> aggregate, RepositoryConfig config) {
    this.store = store;
    this.aggregate = aggregate;
    this.config = config;
    this.snapshots = new Snapshots<>(aggregate, config, store.types().mapper(), store.tenantId());
  }

  /** See {@link AggregateRepository#of(EventStore, Aggregate, RepositoryConfig)}. */
  public static <S, C, E> AggregateRepository<S, C, E> of(
      EventStore store, Aggregate<S, C, E> aggregate, RepositoryConfig config) {
    if (store == null || aggregate == null || config == null) {
      throw new InvalidInputException("store, aggregate and config must not be null; use RepositoryConfig.DEFAULT");
    }
    String category = aggregate.category();
    if (category == null || category.isBlank() || category.indexOf('-') >= 0) {
      throw new InvalidInputException(
          "aggregate " + aggregate.getClass().getName() + " has category '" + category
              + "'; use a non-blank name without '-', such as \"config\" (stream ids are category-id)");
    }
    Validation.typeName(category);
    if (aggregate.stateType() == null || aggregate.eventType() == null) {
      throw new InvalidInputException("aggregate " + aggregate.getClass().getName() + " must name its state and event types");
    }
    if (aggregate.stateSchemaVersion() < 1) {
      throw new InvalidInputException(
          "aggregate " + aggregate.getClass().getName() + " has state schema version " + aggregate.stateSchemaVersion()
              + "; versions start at 1");
    }
    return new Repository<>(store, aggregate, config);
  }

  @Override
  public String streamId(String id) {
    if (id == null || id.isBlank()) {
      throw new InvalidInputException(
          "aggregate id must not be " + (id == null ? "null" : "blank") + " (category " + aggregate.category() + ")");
    }
    return Validation.streamId(aggregate.streamId(id));
  }

  @Override
  public Aggregate<S, C, E> aggregate() {
    return aggregate;
  }

  @Override
  public RepositoryConfig config() {
    return config;
  }

  // ---- loading ------------------------------------------------------------------------------

  @Override
  public AggregateState<S> load(String id) {
    String streamId = streamId(id);
    Snapshots.Loaded<S> loaded = loadCurrent(streamId);
    return new AggregateState<>(streamId, loaded.state(), loaded.version());
  }

  /** Snapshot, replay to the version read first, and a new snapshot if the policy wants one. */
  private Snapshots.Loaded<S> loadCurrent(String streamId) {
    long target = currentVersion(streamId);
    if (target == 0) {
      return new Snapshots.Loaded<>(aggregate.initialState(), 0, 0);
    }
    Snapshots.Loaded<S> start = snapshots.start(streamId, target);
    S state = replay(streamId, start.state(), start.version(), target, null, null);
    long snapshotVersion = snapshots.maybeSave(streamId, state, target, start.snapshotVersion());
    return new Snapshots.Loaded<>(state, target, snapshotVersion);
  }

  /** The stream's version, 0 if it does not exist. */
  private long currentVersion(String streamId) {
    Optional<StreamInfo> info = store.streamInfo(streamId);
    if (info.isEmpty()) {
      return 0;
    }
    if (info.get().deleted()) {
      throw new StreamDeletedException(streamId);
    }
    return info.get().version();
  }

  @Override
  public AggregateState<S> loadAtVersion(String id, long version) {
    String streamId = streamId(id);
    if (version < 0) {
      throw new InvalidInputException("cannot load stream '" + streamId + "' as of version " + version + "; versions start at 0");
    }
    long current = currentVersion(streamId);
    if (version > current) {
      throw new InvalidInputException(
          "cannot load stream '" + streamId + "' as of version " + version + ": it is at version " + current);
    }
    if (version == 0) {
      return new AggregateState<>(streamId, aggregate.initialState(), 0);
    }
    Snapshots.Loaded<S> start = snapshots.start(streamId, version);
    S state = replay(streamId, start.state(), start.version(), version, null, null);
    return new AggregateState<>(streamId, state, version);
  }

  @Override
  public AggregateState<S> loadAsOf(String id, Instant instant) {
    String streamId = streamId(id);
    Objects.requireNonNull(instant, "instant");
    long current = currentVersion(streamId);
    long[] reached = {0};
    S state = replay(streamId, aggregate.initialState(), 0, current, instant,
        (recorded, event, after) -> reached[0] = recorded.streamVersion());
    return new AggregateState<>(streamId, state, reached[0]);
  }

  @Override
  public List<HistoryEntry<S, E>> history(String id) {
    String streamId = streamId(id);
    long current = currentVersion(streamId);
    List<HistoryEntry<S, E>> entries = new ArrayList<>();
    replay(streamId, aggregate.initialState(), 0, current, null,
        (recorded, event, after) -> entries.add(new HistoryEntry<>(recorded, event, after)));
    return entries;
  }

  /** Receives each replayed event with the state after it. */
  private interface Step<S, E> {
    void accept(RecordedEvent recorded, E event, S after);
  }

  /**
   * Applies the stored events with versions {@code after + 1 .. upTo} to {@code state}. Versions of
   * a stream are contiguous, so each page covers exactly {@code limit} stored versions, whatever
   * upcasters made of them; with {@code asOf}, stops at the first event recorded after it.
   */
  private S replay(String streamId, S state, long after, long upTo, @Nullable Instant asOf, @Nullable Step<S, E> step) {
    for (long next = after + 1; next <= upTo; next += PAGE) {
      int limit = (int) Math.min(PAGE, upTo - next + 1);
      for (RecordedEvent recorded : store.readStream(streamId, StreamRead.forwards().from(next).limit(limit))) {
        if (asOf != null && recorded.recordedAt().isAfter(asOf)) {
          return state;
        }
        E event = decode(recorded);
        state = evolve(state, event, recorded);
        if (step != null) {
          step.accept(recorded, event, state);
        }
      }
    }
    return state;
  }

  private E decode(RecordedEvent recorded) {
    Object decoded = store.types().decode(recorded);
    if (aggregate.eventType().isInstance(decoded)) {
      return aggregate.eventType().cast(decoded);
    }
    String where = "the event at position " + recorded.position() + " (stream '" + recorded.streamId() + "', version "
        + recorded.streamVersion() + ", type " + recorded.type() + " v" + recorded.schemaVersion() + ")";
    if (decoded instanceof RawEvent) {
      throw new UnknownEventTypeException(
          where + " has no registered class, but aggregate " + aggregate.getClass().getName() + " needs a "
              + aggregate.eventType().getName() + "; register its class in EventTypes, or an Upcaster that turns it "
              + "into a registered type");
    }
    throw new EventStoreException(
        where + " decodes to " + decoded.getClass().getName() + ", which is not a " + aggregate.eventType().getName()
            + " as aggregate " + aggregate.getClass().getName() + " expects; is the stream shared by two aggregate types?");
  }

  private S evolve(S state, E event, @Nullable RecordedEvent recorded) {
    S next = aggregate.evolve(state, event);
    if (next == null) {
      throw new EventStoreException(
          "aggregate " + aggregate.getClass().getName() + " evolved to null on " + event.getClass().getName()
              + (recorded == null ? "" : " (position " + recorded.position() + ", stream '" + recorded.streamId() + "')")
              + "; evolve must return a state");
    }
    return next;
  }

  // ---- commands -----------------------------------------------------------------------------

  @Override
  public CommandResult<E> handle(String id, C command) {
    return handle(id, command, CommandMetadata.create());
  }

  @Override
  public CommandResult<E> handle(String id, C command, CommandMetadata metadata) {
    String streamId = checkedStreamId(id, command, metadata);
    ConcurrencyException conflict = null;
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      if (attempt > 1) {
        backOff(attempt, streamId, conflict);
      }
      ReentrantLock turn = config.serializedWriters() ? StreamTurns.of(store.tenantId(), streamId) : null;
      if (turn != null) {
        turn.lock();
      }
      try {
        return decideAndAppend(streamId, command, metadata, attempt, (expected, data) -> store.append(streamId, expected, data), true);
      } catch (ConcurrencyException e) {
        // Another writer appended since the load; nothing of ours was written: load and decide again.
        conflict = e;
        LOG.debug("Concurrency conflict on stream '{}' (attempt {} of {}): {}", streamId, attempt, config.maxAttempts(), e.getMessage());
      } finally {
        if (turn != null) {
          turn.unlock();
        }
      }
    }
    LOG.info("Giving up on a command on stream '{}' after {} concurrency conflicts; raise RepositoryConfig.maxAttempts, "
        + "or serialise the writers of a hot aggregate with RepositoryConfig.withSerializedWriters(true)",
        streamId, config.maxAttempts());
    throw Objects.requireNonNull(conflict);
  }

  /**
   * Waits before attempt {@code attempt} (2 or more): a random time below the bound, which starts
   * at {@link RepositoryConfig#retryBackoff} and doubles per attempt up to {@link
   * RepositoryConfig#maxRetryBackoff}, so that writers who collided do not collide again in step.
   */
  private void backOff(int attempt, String streamId, @Nullable ConcurrencyException conflict) {
    long first = config.retryBackoff().toNanos();
    long max = config.maxRetryBackoff().toNanos();
    long bound = Math.min(max, first << Math.min(attempt - 2, 30));
    if (bound <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      EventStoreException interrupted = new EventStoreException(
          "interrupted while waiting to retry a command on stream '" + streamId + "' after a concurrency conflict; "
              + "the command was not applied", e);
      if (conflict != null) {
        interrupted.addSuppressed(conflict);
      }
      throw interrupted;
    }
  }

  @Override
  public CommandResult<E> handle(Transaction tx, String id, C command, CommandMetadata metadata) {
    if (tx == null) {
      throw new InvalidInputException("tx must not be null; to handle a command on its own, call handle(id, command, metadata)");
    }
    String streamId = checkedStreamId(id, command, metadata);
    return decideAndAppend(streamId, command, metadata, 1, (expected, data) -> tx.append(streamId, expected, data), false);
  }

  private String checkedStreamId(String id, C command, CommandMetadata metadata) {
    String streamId = streamId(id);
    if (command == null || metadata == null) {
      throw new InvalidInputException("command and metadata must not be null (stream '" + streamId + "')");
    }
    return streamId;
  }

  /** How a decision's events are appended: on their own, or in the caller's unit of work. */
  private interface Appender {
    AppendResult append(ExpectedVersion expected, List<EventData> events);
  }

  /**
   * One attempt: load, decide, append with the loaded version. Throws the append's {@link
   * ConcurrencyException} when another writer got there first. Snapshots only after a stand-alone
   * append: a unit of work may still roll back.
   */
  private CommandResult<E> decideAndAppend(
      String streamId, C command, CommandMetadata metadata, int attempt, Appender appender, boolean snapshot) {
    Snapshots.Loaded<S> loaded = loadCurrent(streamId);
    Decision<E> decision = aggregate.decide(loaded.state(), command);
    if (decision instanceof Decision.Reject<E> reject) {
      return new CommandResult.Rejected<>(streamId, reject.rejection(), loaded.version(), attempt);
    }
    if (!(decision instanceof Decision.Accept<E> accept)) {
      throw new EventStoreException(
          "aggregate " + aggregate.getClass().getName() + " decided null on " + command.getClass().getName()
              + "; return Decision.accept(...) or Decision.reject(...)");
    }
    List<E> events = accept.events();
    if (events.isEmpty()) {
      return new CommandResult.Accepted<>(streamId, List.of(), loaded.version(), attempt, 0);
    }
    Metadata eventMetadata = metadata.toEventMetadata();
    List<EventData> data = new ArrayList<>(events.size());
    for (E event : events) {
      data.add(new EventData(Uuids.timeOrdered(), event, eventMetadata));
    }
    ExpectedVersion expected = loaded.version() == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(loaded.version());
    AppendResult appended = appender.append(expected, data);
    if (snapshot) {
      S state = loaded.state();
      for (E event : events) {
        state = evolve(state, event, null);
      }
      snapshots.maybeSave(streamId, state, appended.lastVersion(), loaded.snapshotVersion());
    }
    return new CommandResult.Accepted<>(streamId, events, appended.lastVersion(), attempt, appended.lastPosition());
  }

  @Override
  public String toString() {
    return "AggregateRepository[" + aggregate.category() + ", " + store + "]";
  }
}
