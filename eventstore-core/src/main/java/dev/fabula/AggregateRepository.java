package dev.fabula;

import java.time.Instant;
import java.util.List;

/**
 * Loads aggregates from an {@link EventStore} and handles commands on them.
 *
 * <pre>{@code
 * AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values =
 *     AggregateRepository.of(store, new ConfigValueAggregate());
 * CommandResult<ConfigEvent> result = values.handle("db-url", new SetValue("jdbc:…"));
 * }</pre>
 *
 * <p><b>Handling a command</b> loads the aggregate (its snapshot, then the events after it),
 * decides, and appends the new events expecting the loaded version ({@link
 * ExpectedVersion#noStream()} for a new aggregate). If another writer appended in between, the
 * append fails without writing, and the repository loads and decides again, up to {@link
 * RepositoryConfig#maxAttempts()} times: concurrent commands on one aggregate are each applied
 * exactly once, in some order, and none is lost. The events carry the command's correlation and
 * causation ids ({@link CommandMetadata}).
 *
 * <p><b>Versions</b> are stream versions: one per stored event. An upcaster that splits a stored
 * event gives several events of one version; one that drops an event leaves a version without an
 * event.
 *
 * <p>Thread-safe; use one repository per aggregate type and store. Every method throws only {@link
 * EventStoreException}s, besides what the aggregate's own functions throw.
 *
 * @param <S> the state type
 * @param <C> the command type
 * @param <E> the event type
 */
public interface AggregateRepository<S, C, E> {

  /** A repository with the default configuration: 10 attempts per command, no snapshots. */
  static <S, C, E> AggregateRepository<S, C, E> of(EventStore store, Aggregate<S, C, E> aggregate) {
    return of(store, aggregate, RepositoryConfig.DEFAULT);
  }

  /**
   * A repository for {@code aggregate} on {@code store} (which may be a tenant's view).
   *
   * @throws InvalidInputException if the aggregate's category or state schema version is invalid
   */
  static <S, C, E> AggregateRepository<S, C, E> of(
      EventStore store, Aggregate<S, C, E> aggregate, RepositoryConfig config) {
    return dev.fabula.internal.Repository.of(store, aggregate, config);
  }

  /**
   * The aggregate's current state: the snapshot if there is a usable one, then every later event.
   * An aggregate without events has its initial state at version 0.
   *
   * @throws StreamDeletedException if its stream was deleted
   */
  AggregateState<S> load(String id);

  /**
   * The aggregate's state right after the event of stream version {@code version} (time travel).
   * Uses a snapshot only if it is not newer than {@code version}; writes none.
   *
   * @throws InvalidInputException if the stream has fewer than {@code version} events, or {@code
   *     version} is negative
   */
  AggregateState<S> loadAtVersion(String id, long version);

  /**
   * The aggregate's state as it was at {@code instant} (time travel): after every event recorded at
   * or before it. The result's version is that of the last such event (0 if none). Replays from the
   * first event: snapshots do not record time.
   */
  AggregateState<S> loadAsOf(String id, Instant instant);

  /** Every event of the aggregate with its timestamp and the state after it, oldest first. */
  List<HistoryEntry<S, E>> history(String id);

  /** Handles a command with new {@link CommandMetadata}: a new command id and correlation id. */
  CommandResult<E> handle(String id, C command);

  /**
   * Handles a command: load, decide, append; on a concurrency conflict load and decide again.
   *
   * <p>The ids of the command's events are derived from its command id ({@link
   * CommandMetadata#commandId()}), the stream and the tenant, so sending the same command again
   * with the same command id (after {@link AppendOutcomeUnknownException}, or a message delivered
   * twice) never stores its events twice: decided the same way, the append is a replay of the
   * stored one; decided otherwise on the newer state, the store refuses events that reuse stored
   * ids ({@link EventIdConflictException}), or the aggregate rejects the command. When the store
   * cannot find out whether an append committed, the repository appends the very same events once
   * more (a replay if they were stored) before it gives up.
   *
   * @return the accepted events and new version, or the rejection
   * @throws ConcurrencyException if every one of {@link RepositoryConfig#maxAttempts()} attempts
   *     conflicted with another writer
   * @throws AppendOutcomeUnknownException if the outcome of the append stayed unknown after it was
   *     appended again: send the command again later with the same {@link CommandMetadata} (the
   *     same command id), never with a new one
   * @throws StreamDeletedException if the aggregate's stream was deleted
   */
  CommandResult<E> handle(String id, C command, CommandMetadata metadata);

  /**
   * Handles a command inside the caller's unit of work, so that its events commit together with
   * whatever else the unit writes (a job for the outbox, another aggregate's events). It loads,
   * decides and appends once: when another writer got there first the append throws {@link
   * ConcurrencyException}, the unit of work rolls back, and the caller runs it again (there is no
   * retry inside, since the unit's other writes were decided on the same stale state). No snapshot
   * is taken, since the unit may still roll back; the next stand-alone command takes it. With
   * {@link RepositoryConfig#serializedWriters() serialised writers} the unit locks the stream before
   * the load and holds the lock until it ends, so that serialised writers of the stream wait for it
   * instead of conflicting; a unit that handles commands on several streams should take them in
   * one order everywhere, as with any locks.
   *
   * @throws ConcurrencyException if the stream changed since it was loaded
   */
  CommandResult<E> handle(Transaction tx, String id, C command, CommandMetadata metadata);

  /** The stream id of aggregate {@code id}. */
  String streamId(String id);

  /** The aggregate this repository serves. */
  Aggregate<S, C, E> aggregate();

  /** The configuration. */
  RepositoryConfig config();
}
