package dev.fabula.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.SerializationException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.spi.Snapshot;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC snapshot store: a component of the store's database ({@code dev/fabula/snapshots/<dialect>/}),
 * three statements, each read on a pooled connection or written in a store transaction of its own
 * (so that on SQLite snapshot writes queue with appends on the store's writer lock).
 */
public final class JdbcSnapshots implements JdbcSnapshotStore {
  /** The component: its name in the schema version table, its SQL, its migrations. */
  static final Component COMPONENT =
      new Component("snapshots", JdbcSnapshots.class, "dev/fabula/snapshots", List.of("V1__snapshots.sql"));

  private final ComponentDb db;
  private final ObjectMapper json;

  private JdbcSnapshots(ComponentDb db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /** See {@link JdbcSnapshotStore#open}. */
  public static JdbcSnapshotStore open(JdbcEventStore store) {
    if (store == null) {
      throw new dev.fabula.InvalidInputException("store must not be null");
    }
    return new JdbcSnapshots((ComponentDb) ComponentDatabase.open(store, COMPONENT), store.types().mapper());
  }

  @Override
  public Optional<Snapshot> load(@Nullable String tenantId, String streamId) {
    return db.read(tenantId, "reading the snapshot of stream '" + streamId + "'", h -> h.createQuery(db.sql("load_snapshot"))
        .bind("tenant_id", Dialect.tenantKey(tenantId))
        .bind("stream_id", streamId)
        .map((rs, ctx) -> new Snapshot(
            rs.getString(1), rs.getLong(2), rs.getInt(3), parse(streamId, rs.getString(4)), db.readTime(rs, 5)))
        .findOne());
  }

  @Override
  public void save(@Nullable String tenantId, Snapshot snapshot) {
    String state;
    try {
      state = json.writeValueAsString(snapshot.state());
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot serialise the snapshot of stream '" + snapshot.streamId() + "'", e);
    }
    db.write(tenantId, "saving the snapshot of stream '" + snapshot.streamId() + "' at version " + snapshot.version(),
        h -> h.createUpdate(db.sql("save_snapshot"))
            .bind("tenant_id", Dialect.tenantKey(tenantId))
            .bind("stream_id", snapshot.streamId())
            .bind("version", snapshot.version())
            .bind("state_schema_version", snapshot.stateSchemaVersion())
            .bind("state", state)
            .bind("taken_at", db.time(snapshot.takenAt()))
            .execute());
  }

  @Override
  public void delete(@Nullable String tenantId, String streamId) {
    db.write(tenantId, "deleting the snapshot of stream '" + streamId + "'", h -> h.createUpdate(db.sql("delete_snapshot"))
        .bind("tenant_id", Dialect.tenantKey(tenantId))
        .bind("stream_id", streamId)
        .execute());
  }

  private JsonNode parse(String streamId, String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot parse the stored snapshot of stream '" + streamId + "'", e);
    }
  }

  @Override
  public String toString() {
    return "JdbcSnapshotStore[" + db.dialectName() + ", " + db.qualifiedPrefix() + "snapshots]";
  }
}
