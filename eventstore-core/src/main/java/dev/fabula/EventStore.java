package dev.fabula;

import dev.fabula.spi.EventStoreProvider;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An append-only store of events, organised in streams and in one global log.
 *
 * <pre>{@code
 * try (EventStore store = EventStore.open("jdbc:sqlite:app.db", EventStoreConfig.DEFAULT.withEventTypes(types))) {
 *   store.append("booking-42", ExpectedVersion.noStream(), List.of(EventData.of(new BookingRequested(...))));
 *   for (RecordedEvent e : store.readStream("booking-42")) { ... }
 * }
 * }</pre>
 *
 * <p><b>Streams.</b> A stream is the history of one thing ({@code booking-42}); its events have
 * versions 1, 2, 3… Appends state an {@link ExpectedVersion}; a wrong one fails with {@link
 * ConcurrencyException} and writes nothing. <b>The global log</b> holds every event of every stream
 * in commit order, numbered by position; {@link #readAll} never returns a position while an earlier
 * one may still commit, so a reader that remembers the last position it saw misses nothing.
 *
 * <p><b>Idempotency.</b> Appending events whose ids are already stored, exactly as they were
 * stored, returns the first append's result and writes nothing; any other reuse of an id fails with
 * {@link EventIdConflictException}.
 *
 * <p>Implementations are thread-safe. Every method throws only {@link EventStoreException}s.
 */
public interface EventStore extends AutoCloseable {

  /**
   * Opens a store for a URL such as {@code jdbc:sqlite:app.db} or {@code
   * jdbc:postgresql://host/db}, with the default configuration. The backend is found with {@link
   * java.util.ServiceLoader}. A JDBC store's tables must have been migrated first ({@code
   * JdbcEventStore.migrate}); opening checks their version and runs no DDL.
   */
  static EventStore open(String url) {
    return open(url, EventStoreConfig.DEFAULT);
  }

  /** Opens a store for {@code url} with {@code config}; see {@link #open(String)}. */
  static EventStore open(String url, EventStoreConfig config) {
    return EventStoreProvider.find(url).open(url, config);
  }

  /** A store that keeps events in this process's memory: fast, for tests of user code. */
  static EventStore inMemory(EventStoreConfig config) {
    return dev.fabula.internal.InMemoryBackend.open(config);
  }

  /**
   * Appends events to one stream, atomically: all or none.
   *
   * @param streamId the stream, 1 to 256 characters, no control characters
   * @param expected what the stream's version must be
   * @param events 1 to 10,000 events
   * @return what was written, or what was written the first time for a retried append
   * @throws ConcurrencyException if {@code expected} does not hold
   * @throws StreamDeletedException if the stream was deleted
   * @throws EventIdConflictException if an event id was stored before with other content
   * @throws InvalidInputException if the input breaks a rule (the message says which)
   */
  AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events);

  /**
   * Appends to several streams atomically, each with its own expected version: every append
   * commits or none does.
   *
   * @return one result per append, in the given order
   */
  List<AppendResult> appendAll(List<StreamAppend> appends);

  /** Reads a whole stream, oldest first. An unknown stream reads as empty. */
  default List<RecordedEvent> readStream(String streamId) {
    return readStream(streamId, StreamRead.forwards());
  }

  /**
   * Reads part of a stream (a finite read, as for loading an aggregate).
   *
   * @throws StreamDeletedException if the stream was deleted
   */
  List<RecordedEvent> readStream(String streamId, StreamRead read);

  /**
   * Reads the global log in position order. The stream fetches events page by page, so memory use
   * does not grow with the log; close it (try-with-resources) when done. Events whose transactions
   * are still in flight are not returned, nor is anything after them.
   */
  Stream<RecordedEvent> readAll(LogQuery query);

  /** A stream's version, tenant and deletion state, or empty if it never existed. */
  Optional<StreamInfo> streamInfo(String streamId);

  /**
   * The position of the newest event that {@link #readAll} can return now: every event at or below
   * it is committed. 0 for an empty log. A tenant's view answers with the newest of its own events,
   * so other tenants' appends never move it.
   */
  long headPosition();

  /**
   * Deletes a stream softly: it gets a tombstone, so reading or appending to it fails with {@link
   * StreamDeletedException}, but its events stay in the global log for projections.
   *
   * @throws ConcurrencyException if {@code expected} does not hold
   */
  void deleteStream(String streamId, ExpectedVersion expected);

  /**
   * Deletes a stream and removes its events from the global log for good (for example to erase
   * personal data). The tombstone stays, so the id cannot be reused. This is the only way events
   * are ever removed.
   */
  void hardDeleteStream(String streamId);

  /**
   * Forgets a data subject (crypto-shredding, {@link PersonalDataPolicy}): deletes every version of
   * its data key, in this store's tenant namespace only, so that every personal field of the
   * subject reads back as JSON {@code null} through every read (streams, the global log, aggregates,
   * projections rebuilt from the log), now and for good. Other tenants' subjects of the same name
   * are untouched. Idempotent. Events themselves, their stream ids and the subject id (stored
   * unencrypted) stay.
   *
   * @param subjectId the subject's id, as its events name it
   * @return whether the subject had a key
   * @throws InvalidInputException if the store has no personal data configured
   */
  default boolean forgetSubject(String subjectId) {
    throw new InvalidInputException(getClass().getName() + " does not keep personal data");
  }

  /**
   * Gives a data subject a new key version: later appends encrypt with it, earlier events still
   * read with the older versions (until {@link #forgetSubject} deletes them all).
   *
   * @throws InvalidInputException if the store has no personal data configured
   */
  default void rotateSubjectKey(String subjectId) {
    throw new InvalidInputException(getClass().getName() + " does not keep personal data");
  }

  /**
   * Erases a data subject or a stream everywhere this library keeps copies of it, in this store's
   * tenant namespace only, in one transaction, and records the erasure (an {@link ErasureRecord}:
   * what kind, a keyed hash of the target, when, by whom, how much; never the data). A <b>stream</b>:
   * its events and snapshot are deleted and its tombstone keeps only a keyed hash of its id (the id
   * still cannot be reused). A <b>subject</b>: its data keys are deleted ({@link #forgetSubject})
   * and the snapshots of the streams holding its events are deleted. Both: the copies that the
   * modules keep (dead letters and projection errors, jobs and their history, import failures and
   * captured changes) and the read-model rows of projections that take part ({@link
   * dev.fabula.spi.ErasureParticipant}). Idempotent: erasing again erases nothing more and adds a
   * record. See docs/personal-data.md, "Erasing everything derived".
   *
   * @return the erasure's record
   * @throws InvalidInputException if the backend cannot erase, or a subject erasure on a store
   *     without personal data
   */
  default ErasureRecord erase(Erasure erasure) {
    throw new InvalidInputException(getClass().getName() + " cannot erase: use a JDBC store or the in-memory store");
  }

  /** The erasure records of this store's tenant namespace, newest first. */
  default List<ErasureRecord> erasures() {
    return List.of();
  }

  /**
   * The erasure records of one target in this store's tenant namespace, newest first: the target
   * is hashed again with the store's secret, so a record is found without storing the id.
   */
  default List<ErasureRecord> erasuresOf(Erasure target) {
    return List.of();
  }

  /**
   * Retention and archiving of this store's (or this tenant view's) streams: truncation by rule,
   * cold storage and back ({@link Retention}).
   *
   * @throws InvalidInputException if the backend keeps no retention records
   */
  default Retention retention() {
    throw new InvalidInputException(getClass().getName() + " does not support retention");
  }

  /**
   * A view of this store confined to one tenant, with a namespace of its own: its stream ids, event
   * ids, snapshots and head position are the tenant's alone, so two tenants may both own {@code
   * order-1}, and a stream of another tenant is indistinguishable from one that does not exist.
   * Appends stamp the tenant on the events; log reads return only the tenant's events. The
   * unconfined store reads every tenant's events in the global log, and addresses the streams of
   * no tenant; address a tenant's streams through its view. Closing the view does nothing; close
   * the root store.
   *
   * @throws TenantAccessException if this store is itself confined to another tenant
   * @throws InvalidInputException if the tenant id is not valid
   */
  EventStore forTenant(String tenantId);

  /** The tenant this store is confined to ({@link #forTenant}), or null for the unconfined store. */
  @Nullable String tenantId();

  /**
   * Runs {@code work} in one transaction: everything it appends (and writes through {@link
   * Transaction#unwrap}) commits when it returns and rolls back when it throws.
   */
  <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X;

  /** The event type registry this store encodes and decodes with. */
  EventTypes types();

  /** Closes the store and its connections. Idempotent. */
  @Override
  void close();
}
