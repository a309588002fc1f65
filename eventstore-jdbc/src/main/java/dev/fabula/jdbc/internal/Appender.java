package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.spi.PreparedAppend;
import dev.fabula.spi.PreparedEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jspecify.annotations.Nullable;

/**
 * Appends in an open transaction: one {@link dev.fabula.jdbc.spi.Dialect#append} per stream in
 * stream-id order (so two multi-stream appends cannot deadlock), or the dialect's one-statement
 * {@link dev.fabula.jdbc.spi.Dialect#appendMany}. A stream whose append wrote nothing is either a
 * retry (its ids are stored in the tenant's namespace: the first result is returned) or a failed
 * expectation (the stream row is read once to say why: conflict or tombstone). Also the requests of
 * one {@link GroupCommit} group in a shared transaction ({@link #appendGroup}). Stateless beyond
 * the store; thread-safe.
 */
final class Appender {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Appender.class);
  private final StoreContext store;
  /** Told of every stream append found stored already (a retry), with its event count. */
  private final IntConsumer replays;

  Appender(StoreContext store, IntConsumer replays) {
    this.store = store;
    this.replays = replays;
  }

  /**
   * Appends in the caller's open transaction. Several streams are all or nothing: they run inside a
   * savepoint, and the dialect may write them in one statement first; stream by stream when it
   * cannot, which also says which stream failed and why.
   */
  List<AppendResult> appendIn(Handle handle, @Nullable String tenant, List<PreparedAppend> appends) {
    Instant now = store.now();
    if (appends.size() == 1) {
      return List.of(appendOne(handle, tenant, appends.get(0), now));
    }
    String action = "appending to " + appends.size() + " streams";
    Connection connection = handle.getConnection();
    Savepoint savepoint = jdbc(action, connection::setSavepoint);
    try {
      List<AppendResult> results = store.call(action, () -> store.dialect().appendMany(handle, store.sql(), appends, tenant, now));
      if (results == null) {
        jdbc(action, () -> {
          connection.rollback(savepoint);
          return null;
        });
        results = appendEach(handle, tenant, appends, now);
      } else {
        results.forEach(r -> checkNotErased(handle, tenant, r));
      }
      jdbc(action, () -> {
        connection.releaseSavepoint(savepoint);
        return null;
      });
      return results;
    } catch (RuntimeException e) {
      try {
        connection.rollback(savepoint);
      } catch (SQLException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  /**
   * Appends one stream's batch in an open transaction. The happy path is one statement; only when
   * it wrote nothing does the store look for stored ids (a retry) or read the stream row (why not).
   */
  AppendResult appendOne(Handle handle, @Nullable String tenant, PreparedAppend a, Instant now) {
    String action = "appending to stream '" + a.streamId() + "'";
    AppendResult written = store.call(action, () -> store.dialect().append(handle, store.sql(), a, tenant, now));
    if (written != null) {
      checkNotErased(handle, tenant, written);
      return written;
    }
    List<UUID> ids = a.events().stream().map(PreparedEvent::eventId).toList();
    List<RecordedEvent> stored = store.call(action, () -> store.dialect().findEvents(handle, store.sql(), tenant, ids));
    if (stored.isEmpty()) {
      throw whyNot(handle, tenant, a.streamId(), a.expected());
    }
    AppendResult replayed = a.replayedFrom(stored);
    replays.accept(a.events().size());
    return replayed;
  }

  /**
   * Appends the requests of a {@link GroupCommit} group, all of {@code tenant}, in the caller's open
   * transaction, each settled with its result or its own error; returns the last position written
   * (0: none). With {@code combined}, where the dialect has a one-statement append of several streams
   * ({@link Dialect#appendMany}: PostgreSQL), the first request of each stream goes in one statement,
   * first in the transaction; when that statement wrote less than all (a conflict, a replay, a
   * tombstone) or failed, {@link CombinedAppendIncomplete} is thrown: the caller rolls the transaction
   * back and runs the group again without {@code combined}, every request on its own statement,
   * which says which failed and why. (No savepoint: it would cost two round trips on every group to
   * spare a rollback only when a request of it fails.) A request whose own statement fails with a
   * database error is rethrown: it may be half done (SQLite: its stream row moved, its events not
   * written) or have spoilt the transaction (PostgreSQL), so the caller rolls back and runs every
   * request again alone.
   */
  long appendGroup(Handle handle, @Nullable String tenant, List<GroupCommit.Request> batch, Instant now, boolean combined) {
    if (combined && !store.dialect().singleWriter()) {
      combine(handle, tenant, batch, now);
    }
    long max = 0;
    for (GroupCommit.Request r : batch) {
      if (!r.settled()) {
        oneOf(handle, r, now);
      }
      if (r.result != null) {
        max = Math.max(max, r.result.lastPosition());
      }
    }
    return max;
  }

  /**
   * The first request of each stream in one statement, or none of them: then the transaction must
   * roll back ({@link CombinedAppendIncomplete}; see {@link #appendGroup}).
   */
  private void combine(Handle handle, @Nullable String tenant, List<GroupCommit.Request> batch, Instant now) {
    Map<String, GroupCommit.Request> firsts = new LinkedHashMap<>();
    for (GroupCommit.Request r : batch) {
      firsts.putIfAbsent(r.append.streamId(), r);
    }
    if (firsts.size() < 2) {
      return;
    }
    List<GroupCommit.Request> combined = List.copyOf(firsts.values());
    List<AppendResult> results;
    try {
      results = store.dialect().appendMany(handle, store.sql(), combined.stream().map(r -> r.append).toList(), tenant, now);
    } catch (RuntimeException e) {
      LOG.debug("A combined append of {} streams failed; appending them one by one", combined.size(), e);
      throw new CombinedAppendIncomplete(e);
    }
    if (results == null || results.stream().anyMatch(r -> createdErased(handle, tenant, r))) {
      throw new CombinedAppendIncomplete(null);
    }
    for (int i = 0; i < combined.size(); i++) {
      combined.get(i).succeed(results.get(i));
    }
  }

  /**
   * A combined append of a group wrote less than all its streams, or failed: its transaction must
   * roll back, and the group runs again one statement per request ({@link #appendGroup}).
   */
  static final class CombinedAppendIncomplete extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CombinedAppendIncomplete(@Nullable RuntimeException cause) {
      super("a combined append wrote less than all of its streams", cause, false, false);
    }
  }

  /**
   * An append that created a stream (its first version is 1) whose id an erased stream had: its
   * tombstone holds a hash of the id, not the id, so the statement could not see it. One extra read
   * per created stream, none for appends to existing ones. The stream is written by then: the
   * caller's transaction must roll back, so this is thrown as {@link CreatedErasedStream}.
   */
  private void checkNotErased(Handle handle, @Nullable String tenant, AppendResult written) {
    if (written.firstVersion() == 1 && !written.replayed() && store.tombstones().isInstalled()
        && store.call("appending to stream '" + written.streamId() + "'", () -> store.tombstones().erased(handle, store, tenant, written.streamId()))) {
      throw new CreatedErasedStream(written.streamId());
    }
  }

  private boolean createdErased(Handle handle, @Nullable String tenant, AppendResult written) {
    try {
      checkNotErased(handle, tenant, written);
      return false;
    } catch (CreatedErasedStream e) {
      return true;
    }
  }

  /** An append created an erased stream anew: its transaction must roll back (see {@link #checkNotErased}). */
  static final class CreatedErasedStream extends StreamDeletedException {
    private static final long serialVersionUID = 1L;

    CreatedErasedStream(String streamId) {
      super(streamId);
    }
  }

  /** One request on its own statement in the shared transaction; its expectation's failure is its own. */
  private void oneOf(Handle handle, GroupCommit.Request r, Instant now) {
    try {
      r.succeed(appendOne(handle, r.tenant, r.append, now));
    } catch (EventStoreException e) {
      if (e instanceof CreatedErasedStream || Errors.cause(e, SQLException.class) != null) {
        // A database error may leave the request half done (SQLite: its stream row moved, its
        // events not written) or the transaction spoilt (PostgreSQL): everyone runs alone.
        throw e;
      }
      r.fail(e);
    }
  }

  /**
   * Locks one stream of {@code tenant}'s namespace until the handle's transaction ends, where the
   * dialect has a statement for it ({@code lock_stream.sql}); on a one-writer database (SQLite,
   * whose transactions begin IMMEDIATE) the transaction already excludes every other writer.
   */
  void lockStream(Handle handle, @Nullable String tenant, String streamId) {
    if (!store.sql().has("lock_stream")) {
      return;
    }
    store.call("locking stream '" + streamId + "'", () -> handle.createQuery(store.sql().get("lock_stream"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("stream_id", streamId)
        .mapTo(Boolean.class)
        .one());
  }

  /** Explains why a conditional write of a stream row changed nothing. */
  EventStoreException whyNot(Handle handle, @Nullable String tenant, String streamId, ExpectedVersion expected) {
    Optional<StreamInfo> info = store.call("reading stream '" + streamId + "'", () -> store.streamInfo(handle, tenant, streamId));
    if (info.isEmpty()) {
      return new ConcurrencyException(streamId, expected, -1);
    }
    StreamInfo s = info.get();
    if (s.deleted()) {
      return new StreamDeletedException(streamId);
    }
    return new ConcurrencyException(streamId, expected, s.version());
  }

  private List<AppendResult> appendEach(Handle handle, @Nullable String tenant, List<PreparedAppend> appends, Instant now) {
    Map<String, AppendResult> outcomes = new HashMap<>();
    List<PreparedAppend> ordered = new ArrayList<>(appends);
    ordered.sort(Comparator.comparing(PreparedAppend::streamId));
    for (PreparedAppend a : ordered) {
      outcomes.put(a.streamId(), appendOne(handle, tenant, a, now));
    }
    if (outcomes.size() > 1 && outcomes.values().stream().map(AppendResult::replayed).distinct().count() > 1) {
      AppendResult replayed = outcomes.values().stream().filter(AppendResult::replayed).findFirst().orElseThrow();
      throw new EventIdConflictException(
          readStreamEventId(handle, tenant, replayed),
          "in stream '" + replayed.streamId() + "', but the events for other streams of the same appendAll"
              + " were not: the request differs from the stored one");
    }
    return appends.stream().map(a -> outcomes.get(a.streamId())).toList();
  }

  private UUID readStreamEventId(Handle handle, @Nullable String tenant, AppendResult result) {
    return store.call("reading stream '" + result.streamId() + "'", () -> handle.createQuery(store.sql().get("read_stream_forwards"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("stream_id", result.streamId())
        .bind("from_version", result.firstVersion())
        .bind("limit", 1)
        .map(store.events())
        .one()
        .eventId());
  }

  /** A JDBC call of the append path, its failure translated as the dialect's are. */
  private <T> T jdbc(String action, SqlCall<T> work) {
    return store.call(action, () -> {
      try {
        return work.call();
      } catch (SQLException e) {
        throw new UnableToExecuteStatementException(e, null);
      }
    });
  }

  private interface SqlCall<T> {
    T call() throws SQLException;
  }
}
