package dev.fabula.internal;

import dev.fabula.Aggregate;
import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.AppendResult;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.Decision;
import dev.fabula.EventData;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStore;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.Metadata;
import dev.fabula.RepositoryConfig;
import dev.fabula.Transaction;
import dev.fabula.spi.StreamLocking;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the aggregate repository handles a command: load, decide, append with the loaded version
 * expected; a {@link ConcurrencyException} means another writer appended first and nothing was
 * written, so the loop loads and decides again, after a jittered, growing wait ({@link
 * RepositoryConfig#retryBackoff}). The store's expected-version check keeps the stream consistent.
 *
 * <p><b>Serialised writers</b> ({@link RepositoryConfig#serializedWriters}): a command first takes
 * its stream's turn in this process ({@link StreamTurns}), so that waiting threads hold no
 * connection; then it runs in one transaction that locks the stream ({@link StreamLocking}: every
 * process on the database takes turns), loads on that transaction, decides and appends. Snapshots
 * are saved after the commit. Without the option no lock is held between load and append.
 *
 * <p><b>Event ids</b> are derived from the command ({@link CommandIds}): re-sending a command with
 * the same command id gives its events the same ids, so the store replays instead of storing them
 * twice. An append whose outcome the store could not find out ({@link
 * AppendOutcomeUnknownException}) is appended once more with the very same events (the store's own
 * retry window applies) before the exception reaches the caller.
 */
final class Commands<S, C, E> {
  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

  private final Repository<S, C, E> repository;
  private final EventStore store;
  private final Aggregate<S, C, E> aggregate;
  private final RepositoryConfig config;
  private final Snapshots<S> snapshots;

  Commands(Repository<S, C, E> repository, EventStore store, Aggregate<S, C, E> aggregate, RepositoryConfig config,
      Snapshots<S> snapshots) {
    this.repository = repository;
    this.store = store;
    this.aggregate = aggregate;
    this.config = config;
    this.snapshots = snapshots;
  }

  /** Handles a command on its own: attempts until one does not conflict, or the attempts run out. */
  CommandResult<E> handle(String streamId, C command, CommandMetadata metadata) {
    ConcurrencyException conflict = null;
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      if (attempt > 1) {
        backOff(attempt, streamId, conflict);
      }
      ReentrantLock turn = config.serializedWriters() ? StreamTurns.of(store.tenantId(), streamId) : null;
      if (turn != null) {
        turn.lock(); // before any connection is taken: waiting threads hold none
      }
      try {
        Attempt attemptRun = new Attempt(streamId, command, metadata, attempt);
        Outcome<S, E> outcome = turn == null ? attemptRun.alone() : attemptRun.locked();
        if (outcome.state() != null) {
          snapshots.maybeSave(streamId, outcome.state(), outcome.result().version(), outcome.snapshotVersion());
        }
        return outcome.result();
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
   * Handles a command once in the caller's unit of work; no snapshot, since the unit may roll back.
   * With serialised writers the unit first locks the stream (held until it commits or rolls back),
   * so that writers in other units, threads and processes wait instead of conflicting; the
   * in-process turn is not taken, since it could not be held until the unit ends.
   */
  CommandResult<E> handle(Transaction tx, String streamId, C command, CommandMetadata metadata) {
    if (config.serializedWriters() && tx instanceof StreamLocking locking) {
      locking.lockStream(streamId);
    }
    return new Attempt(streamId, command, metadata, 1).run(true, (expected, data) -> tx.append(streamId, expected, data))
        .result();
  }

  /**
   * What one attempt ended with, and the state a snapshot may be taken of after the commit (null:
   * none to take beyond what the load took).
   */
  private record Outcome<S, E>(CommandResult<E> result, @Nullable S state, long snapshotVersion) {}

  /** How a decision's events are appended: on their own, or in a transaction. */
  private interface Appender {
    AppendResult append(ExpectedVersion expected, List<EventData> events);
  }

  /** One attempt: load, decide, append with the loaded version; remembers what it appended. */
  private final class Attempt {
    private final String streamId;
    private final C command;
    private final CommandMetadata metadata;
    private final int number;
    private Snapshots.@Nullable Loaded<S> loaded;
    private @Nullable List<E> events;
    private @Nullable ExpectedVersion expected;
    private @Nullable List<EventData> data;

    Attempt(String streamId, C command, CommandMetadata metadata, int number) {
      this.streamId = streamId;
      this.command = command;
      this.metadata = metadata;
      this.number = number;
    }

    /** Appends on its own; an outcome in doubt is appended once more with the same events. */
    Outcome<S, E> alone() {
      try {
        return run(true, (exp, events) -> store.append(streamId, exp, events));
      } catch (AppendOutcomeUnknownException e) {
        return settle(e);
      }
    }

    /** In one transaction that first locks the stream against writers of other processes. */
    Outcome<S, E> locked() {
      try {
        Outcome<S, E> outcome = store.inTransaction(tx -> {
          if (tx instanceof StreamLocking locking) {
            locking.lockStream(streamId);
          }
          return run(false, (exp, events) -> tx.append(streamId, exp, events));
        });
        if (outcome.state() == null && loaded != null) {
          // Rejected or nothing to append: the load took no snapshot inside the transaction.
          return new Outcome<>(outcome.result(), loaded.state(), loaded.snapshotVersion());
        }
        return outcome;
      } catch (AppendOutcomeUnknownException e) {
        return settle(e);
      }
    }

    /**
     * The store could not find out whether the append committed: append the same events with the
     * same expectation once more. Stored already, the store replays them; not stored, it writes
     * them now (or a conflict shows another writer came first: nothing of ours was written).
     */
    private Outcome<S, E> settle(AppendOutcomeUnknownException unknown) {
      if (data == null || expected == null || loaded == null || events == null) {
        throw unknown;
      }
      LOG.warn("The outcome of a command on stream '{}' is unknown; appending its {} event(s) again with the same ids",
          streamId, data.size());
      try {
        AppendResult again = store.append(streamId, expected, data);
        return accepted(again);
      } catch (ConcurrencyException conflict) {
        throw conflict;
      } catch (EventStoreException failed) {
        unknown.addSuppressed(failed);
        throw unknown;
      }
    }

    Outcome<S, E> run(boolean snapshotOnLoad, Appender appender) {
      loaded = repository.loadCurrent(streamId, snapshotOnLoad);
      Decision<E> decision = aggregate.decide(loaded.state(), command);
      if (decision instanceof Decision.Reject<E> reject) {
        return new Outcome<>(new CommandResult.Rejected<>(streamId, reject.rejection(), loaded.version(), number), null, 0);
      }
      if (!(decision instanceof Decision.Accept<E> accept)) {
        throw new EventStoreException(
            "aggregate " + aggregate.getClass().getName() + " decided null on " + command.getClass().getName()
                + "; return Decision.accept(...) or Decision.reject(...)");
      }
      events = accept.events();
      if (events.isEmpty()) {
        return new Outcome<>(new CommandResult.Accepted<>(streamId, List.of(), loaded.version(), number, 0), null, 0);
      }
      Metadata eventMetadata = metadata.toEventMetadata();
      List<EventData> prepared = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        prepared.add(new EventData(CommandIds.eventId(store.tenantId(), streamId, metadata.commandId(), i), events.get(i),
            eventMetadata));
      }
      expected = loaded.version() == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(loaded.version());
      data = prepared;
      try {
        return accepted(appender.append(expected, prepared));
      } catch (EventIdConflictException e) {
        throw new EventIdConflictException(e.eventId(), "to stream '" + streamId + "' by an earlier command with the "
            + "same command id '" + metadata.commandId() + "', which decided other events; a command id names one "
            + "command: give each new command its own (CommandMetadata.create(), or of(id) with a new id), and "
            + "re-send a command only with the id it was first sent with (" + e.getMessage() + ")");
      }
    }

    private Outcome<S, E> accepted(AppendResult appended) {
      S state = Objects.requireNonNull(loaded).state();
      for (E event : Objects.requireNonNull(events)) {
        state = repository.evolve(state, event, null);
      }
      return new Outcome<>(new CommandResult.Accepted<>(streamId, events, appended.lastVersion(), number,
          appended.lastPosition()), state, loaded.snapshotVersion());
    }
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
}
