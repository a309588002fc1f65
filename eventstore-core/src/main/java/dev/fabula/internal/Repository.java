package dev.fabula.internal;

import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.EventStore;
import dev.fabula.EventStoreException;
import dev.fabula.HistoryEntry;
import dev.fabula.InvalidInputException;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamTruncatedException;
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
import org.jspecify.annotations.Nullable;

/**
 * The aggregate repository: loads by snapshot plus replay, handles commands with optimistic retries.
 *
 * <p><b>Loading</b> reads the stream's version first ({@link EventStore#streamInfo}), then the
 * snapshot, then the events after the snapshot up to that version, page by page. Reading up to a
 * known version, rather than "until the stream ends", keeps the result exact when upcasters drop or
 * split events: every stored event up to the version was read, whatever the reads returned.
 * {@link Snapshots} decides where a load starts and when a snapshot is saved.
 *
 * <p><b>Handling</b> a command is {@link Commands}' work: load, decide, append, retried on
 * conflicts; with serialised writers in a transaction that locks the stream first.
 */
public final class Repository<S, C, E> implements AggregateRepository<S, C, E> {

  /** Events per read when replaying a stream. */
  static final int PAGE = 1000;

  private final EventStore store;
  private final Aggregate<S, C, E> aggregate;
  private final RepositoryConfig config;
  private final Snapshots<S> snapshots;
  private final Commands<S, C, E> commands;

  private Repository(EventStore store, Aggregate<S, C, E> aggregate, RepositoryConfig config) {
    this.store = store;
    this.aggregate = aggregate;
    this.config = config;
    this.snapshots = new Snapshots<>(aggregate, config, store.types().mapper(), store.tenantId());
    this.commands = new Commands<>(this, store, aggregate, config, snapshots);
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
    Snapshots.Loaded<S> loaded = loadCurrent(streamId, true);
    return new AggregateState<>(streamId, loaded.state(), loaded.version());
  }

  /**
   * Snapshot, replay to the version read first, and with {@code save} a new snapshot if the policy
   * wants one (not inside a transaction, which may roll back, and on a one-writer database would
   * wait for itself).
   */
  Snapshots.Loaded<S> loadCurrent(String streamId, boolean save) {
    long target = currentVersion(streamId);
    if (target == 0) {
      return new Snapshots.Loaded<>(aggregate.initialState(), 0, 0);
    }
    Snapshots.Loaded<S> start = snapshots.start(streamId, target);
    S state = replay(streamId, start.state(), start.version(), target, null, null);
    long snapshotVersion = save ? snapshots.maybeSave(streamId, state, target, start.snapshotVersion()) : start.snapshotVersion();
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
      List<RecordedEvent> page = store.readStream(streamId, StreamRead.forwards().from(next).limit(limit));
      if (page.isEmpty()) {
        // Retention removed every event from here on (a stream never loses versions otherwise).
        throw new StreamTruncatedException(streamId, next, upTo + 1);
      }
      for (RecordedEvent recorded : page) {
        if (recorded.streamVersion() > next && recorded == page.get(0)) {
          // Retention truncated the versions this load needs: never build a state from part of a history.
          throw new StreamTruncatedException(streamId, next, recorded.streamVersion());
        }
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

  S evolve(S state, E event, @Nullable RecordedEvent recorded) {
    S next = aggregate.evolve(state, event);
    if (next == null) {
      throw new EventStoreException(
          "aggregate " + aggregate.getClass().getName() + " evolved to null on " + event.getClass().getName()
              + (recorded == null ? "" : " (position " + recorded.position() + ", stream '" + recorded.streamId() + "')")
              + "; evolve must return a state");
    }
    return next;
  }

  // ---- commands (see Commands) -------------------------------------------------------------

  @Override
  public CommandResult<E> handle(String id, C command) {
    return handle(id, command, CommandMetadata.create());
  }

  @Override
  public CommandResult<E> handle(String id, C command, CommandMetadata metadata) {
    return commands.handle(checkedStreamId(id, command, metadata), command, metadata);
  }

  @Override
  public CommandResult<E> handle(Transaction tx, String id, C command, CommandMetadata metadata) {
    if (tx == null) {
      throw new InvalidInputException("tx must not be null; to handle a command on its own, call handle(id, command, metadata)");
    }
    return commands.handle(tx, checkedStreamId(id, command, metadata), command, metadata);
  }

  private String checkedStreamId(String id, C command, CommandMetadata metadata) {
    String streamId = streamId(id);
    if (command == null || metadata == null) {
      throw new InvalidInputException("command and metadata must not be null (stream '" + streamId + "')");
    }
    return streamId;
  }

  @Override
  public String toString() {
    return "AggregateRepository[" + aggregate.category() + ", " + store + "]";
  }
}
