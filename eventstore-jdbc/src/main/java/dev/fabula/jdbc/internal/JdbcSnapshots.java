package dev.fabula.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.EventStoreException;
import dev.fabula.SerializationException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Migrations;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.spi.Snapshot;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * The JDBC snapshot store: three statements in the dialect's {@code snapshots/} folder, run on the
 * event store's Jdbi, each in a transaction of its own.
 *
 * <p>Writes take the dialect's write lock first, as the event store's own writes do, so that on
 * SQLite (one writer at a time) snapshot writes queue with appends instead of waiting on SQLite's
 * busy timeout.
 */
public final class JdbcSnapshots implements JdbcSnapshotStore {
  /** The component name in the schema version table. */
  static final String COMPONENT = "snapshots";
  /** The component's migrations, in order. */
  static final List<String> MIGRATIONS = List.of("V1__snapshots.sql");

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Statements sql;
  private final ObjectMapper json;

  private JdbcSnapshots(Jdbi jdbi, Dialect dialect, Statements sql, ObjectMapper json) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.sql = sql;
    this.json = json;
  }

  /** See {@link JdbcSnapshotStore#create}. */
  public static JdbcSnapshotStore create(JdbcEventStore store) {
    if (store == null) {
      throw new dev.fabula.InvalidInputException("store must not be null");
    }
    Dialect dialect = store.dialect();
    Statements sql = new Statements(dialect.getClass().getClassLoader(), dialect.resourceFolder() + "/snapshots",
        store.statements().placeholders());
    if (!sql.has("save_snapshot")) {
      throw new EventStoreException(
          "dialect " + dialect.name() + " has no snapshot statements (" + dialect.resourceFolder()
              + "/snapshots/save_snapshot.sql); add them as the built-in dialects do, or use SnapshotStore.none()");
    }
    Migrations.apply(store.jdbi(), dialect, sql, COMPONENT, MIGRATIONS);
    return new JdbcSnapshots(store.jdbi(), dialect, sql, store.types().mapper());
  }

  @Override
  public Optional<Snapshot> load(String streamId) {
    return call("reading the snapshot of stream '" + streamId + "'", () -> jdbi.withHandle(h -> h.createQuery(sql.get("load_snapshot"))
        .bind("stream_id", streamId)
        .map((rs, ctx) -> new Snapshot(
            rs.getString(1), rs.getLong(2), rs.getInt(3), parse(streamId, rs.getString(4)), dialect.readTimestamp(rs, 5)))
        .findOne()));
  }

  @Override
  public void save(Snapshot snapshot) {
    String state;
    try {
      state = json.writeValueAsString(snapshot.state());
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot serialise the snapshot of stream '" + snapshot.streamId() + "'", e);
    }
    write("saving the snapshot of stream '" + snapshot.streamId() + "' at version " + snapshot.version(),
        () -> jdbi.withHandle(h -> h.createUpdate(sql.get("save_snapshot"))
            .bind("stream_id", snapshot.streamId())
            .bind("version", snapshot.version())
            .bind("state_schema_version", snapshot.stateSchemaVersion())
            .bind("state", state)
            .bind("taken_at", dialect.timestamp(snapshot.takenAt()))
            .execute()));
  }

  @Override
  public void delete(String streamId) {
    write("deleting the snapshot of stream '" + streamId + "'",
        () -> jdbi.withHandle(h -> h.createUpdate(sql.get("delete_snapshot")).bind("stream_id", streamId).execute()));
  }

  private JsonNode parse(String streamId, String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot parse the stored snapshot of stream '" + streamId + "'", e);
    }
  }

  /** Runs a write under the dialect's write lock. */
  private void write(String action, Supplier<Integer> work) {
    Lock lock = dialect.writeLock();
    if (lock instanceof ReentrantLock reentrant && reentrant.isHeldByCurrentThread()) {
      throw new EventStoreException(
          "cannot write a snapshot while this thread is inside inTransaction (" + action + "): " + dialect.name()
              + " has one writer at a time; handle commands outside the unit of work");
    }
    lock.lock();
    try {
      call(action, work);
    } finally {
      lock.unlock();
    }
  }

  private <T> T call(String action, Supplier<T> work) {
    try {
      return work.get();
    } catch (EventStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw dialect.translate(e, action);
    }
  }

  @Override
  public String toString() {
    return "JdbcSnapshotStore[" + dialect.name() + ", " + sql.placeholders().get("qualified_prefix") + "snapshots]";
  }
}
