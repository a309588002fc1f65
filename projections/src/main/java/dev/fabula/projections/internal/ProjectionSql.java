package dev.fabula.projections.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.AppendResult;
import dev.fabula.EventStoreException;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Migrations;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.InFlightTransaction;
import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * The projection tables' SQL: one method per statement file of {@code
 * dev/fabula/projections/<dialect>/}, and the two ways to run them — {@link #read} on a pooled
 * handle, {@link #write} in an event-store transaction (on SQLite that queues on the store's
 * writer lock, so the runner never spins on a busy file). Errors are translated by the store's
 * dialect, so no {@code SQLException} leaks out. Thread-safe.
 */
public final class ProjectionSql {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Longest error text stored in a row. */
  private static final int MAX_ERROR_CHARS = 4000;

  private final JdbcEventStore store;
  private final Statements sql;
  private final boolean postgres;
  private final RowMapper<RecordedEvent> events;

  private ProjectionSql(JdbcEventStore store, Statements sql, boolean postgres) {
    this.store = store;
    this.sql = sql;
    this.postgres = postgres;
    this.events = store.dialect().eventMapper(store.types().mapper(), 1);
  }

  /** Loads the dialect's statements and creates or migrates the projection tables. */
  static ProjectionSql open(JdbcEventStore store) {
    String dialect = store.dialect().name();
    if (!dialect.equals("postgresql") && !dialect.equals("sqlite")) {
      throw new ProjectionException("projections have SQL for the postgresql and sqlite dialects, not '"
          + dialect + "'; add dev/fabula/projections/" + dialect + "/ with the same statement files");
    }
    Statements statements = new Statements(ProjectionSql.class.getClassLoader(), "dev/fabula/projections/" + dialect,
        store.statements().placeholders());
    Migrations.apply(store.jdbi(), store.dialect(), statements, "projections", List.of("V1__projections.sql"));
    return new ProjectionSql(store, statements, dialect.equals("postgresql"));
  }

  JdbcEventStore store() {
    return store;
  }

  boolean postgres() {
    return postgres;
  }

  // ---- running statements -------------------------------------------------------------------

  /** Runs reads on a pooled handle. */
  <T> T read(String action, Function<Handle, T> work) {
    try {
      return store.jdbi().withHandle(work::apply);
    } catch (EventStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw store.dialect().translate(e, action);
    }
  }

  /** Runs writes in one event-store transaction; runtime exceptions of {@code work} roll it back and pass unchanged. */
  <T> T write(String action, Function<Handle, T> work) {
    try {
      return store.inTransaction(tx -> work.apply(tx.unwrap(Handle.class)));
    } catch (org.jdbi.v3.core.JdbiException e) {
      throw store.dialect().translate(e, action);
    }
  }

  // ---- checkpoints --------------------------------------------------------------------------

  void register(Handle h, ProjectionId id, EventFilter filter) {
    h.createUpdate(sql.get("register"))
        .bind("name", id.name())
        .bind("version", id.version())
        .bind("types", json(filter.types()))
        .bind("categories", json(filter.categories()))
        .execute();
  }

  Optional<CheckpointRow> readCheckpoint(Handle h, ProjectionId id) {
    return h.createQuery(sql.get("read_checkpoint"))
        .bind("name", id.name())
        .bind("version", id.version())
        .map(ProjectionSql::checkpoint)
        .findOne();
  }

  List<CheckpointRow> listCheckpoints(Handle h) {
    return h.createQuery(sql.get("list_checkpoints")).map(ProjectionSql::checkpoint).list();
  }

  /** The checkpoint, state and rebuild flag the lease came with. */
  record Acquired(long position, ProjectionState state, boolean rebuildRequested) {}

  Optional<Acquired> acquire(Handle h, ProjectionId id, String owner, long leaseMs) {
    return keyed(h.createQuery(sql.get("acquire_lease")), id)
        .bind("owner", owner)
        .bind("lease_ms", leaseMs)
        .map((rs, ctx) -> new Acquired(rs.getLong("position"), ProjectionState.valueOf(rs.getString("state")),
            rs.getBoolean("rebuild_requested")))
        .findOne();
  }

  int renew(Handle h, ProjectionId id, String owner, long leaseMs) {
    return h.createUpdate(sql.get("renew_lease"))
        .bind("name", id.name())
        .bind("version", id.version())
        .bind("owner", owner)
        .bind("lease_ms", leaseMs)
        .execute();
  }

  int release(Handle h, ProjectionId id, String owner) {
    return h.createUpdate(sql.get("release_lease"))
        .bind("name", id.name())
        .bind("version", id.version())
        .bind("owner", owner)
        .execute();
  }

  /** What the lock of a checkpoint row found. */
  record Locked(boolean rebuildRequested, ProjectionState state) {}

  Optional<Locked> lock(Handle h, ProjectionId id, String owner, long position, long leaseMs) {
    return keyed(h.createQuery(sql.get("lock_checkpoint")), id)
        .bind("owner", owner)
        .bind("position", position)
        .bind("lease_ms", leaseMs)
        .map((rs, ctx) -> new Locked(rs.getBoolean("rebuild_requested"), ProjectionState.valueOf(rs.getString("state"))))
        .findOne();
  }

  int advance(Handle h, ProjectionId id, String owner, long read, long position, ProjectionState state, long leaseMs) {
    return h.createUpdate(sql.get("advance_checkpoint"))
        .bind("name", id.name())
        .bind("version", id.version())
        .bind("owner", owner)
        .bind("read", read)
        .bind("position", position)
        .bind("state", state.name())
        .bind("lease_ms", leaseMs)
        .execute();
  }

  int setState(Handle h, ProjectionId id, String owner, ProjectionState state) {
    return h.createUpdate(sql.get("set_state"))
        .bind("name", id.name())
        .bind("version", id.version())
        .bind("owner", owner)
        .bind("state", state.name())
        .execute();
  }

  int markFailed(Handle h, ProjectionId id, String owner, @Nullable Long failedPosition, String error) {
    return h.createUpdate(sql.get("mark_failed"))
        .bind("name", id.name())
        .bind("version", id.version())
        .bind("owner", owner)
        .bind("failed_position", failedPosition)
        .bind("error", truncate(error))
        .execute();
  }

  int resume(Handle h, ProjectionId id) {
    return keyed(h.createUpdate(sql.get("resume")), id).execute();
  }

  int requestRebuild(Handle h, ProjectionId id) {
    return keyed(h.createUpdate(sql.get("request_rebuild")), id).execute();
  }

  int resetCheckpoint(Handle h, ProjectionId id, String owner, long read, long leaseMs) {
    return h.createUpdate(sql.get("reset_checkpoint"))
        .bind("name", id.name())
        .bind("version", id.version())
        .bind("owner", owner)
        .bind("read", read)
        .bind("lease_ms", leaseMs)
        .execute();
  }

  int dropCheckpoint(Handle h, ProjectionId id) {
    return keyed(h.createUpdate(sql.get("drop_checkpoint")), id).execute();
  }

  // ---- dead letters -------------------------------------------------------------------------

  void deleteDeadLetters(Handle h, ProjectionId id) {
    keyed(h.createUpdate(sql.get("delete_dead_letters")), id).execute();
  }

  void park(Handle h, ProjectionId id, RecordedEvent e, @Nullable Long blockedBy, String reason, int attempts) {
    h.createUpdate(sql.get("park_event"))
        .bind("name", id.name())
        .bind("version", id.version())
        .bind("position", e.position())
        .bind("stream_id", e.streamId())
        .bind("stream_version", e.streamVersion())
        .bind("event_type", e.type())
        .bind("blocked_by", blockedBy)
        .bind("reason", truncate(reason))
        .bind("attempts", attempts)
        .execute();
  }

  /** Held-back streams and the first parked position of each. */
  Map<String, Long> parkedStreams(Handle h, ProjectionId id) {
    Map<String, Long> out = new HashMap<>();
    keyed(h.createQuery(sql.get("parked_streams")), id)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  List<DeadLetterRow> deadLetters(Handle h, ProjectionId id) {
    return keyed(h.createQuery(sql.get("list_dead_letters")), id).map(ProjectionSql::deadLetter).list();
  }

  Optional<DeadLetterRow> deadLetterAt(Handle h, ProjectionId id, long position) {
    return keyed(h.createQuery(sql.get("dead_letter_at")), id)
        .bind("position", position)
        .map(ProjectionSql::deadLetter)
        .findOne();
  }

  int requestRetry(Handle h, ProjectionId id, @Nullable String streamId) {
    return keyed(h.createUpdate(sql.get("request_retry")), id).bind("stream_id", streamId).execute();
  }

  List<String> retryStreams(Handle h, ProjectionId id) {
    return keyed(h.createQuery(sql.get("retry_streams")), id).mapTo(String.class).list();
  }

  List<DeadLetterRow> streamDeadLetters(Handle h, ProjectionId id, String streamId) {
    return keyed(h.createQuery(sql.get("stream_dead_letters")), id)
        .bind("stream_id", streamId)
        .map(ProjectionSql::deadLetter)
        .list();
  }

  int settle(Handle h, ProjectionId id, long position, ParkedEvent.Status status, String reason, int attempts) {
    return keyed(h.createUpdate(sql.get("settle_dead_letter")), id)
        .bind("position", position)
        .bind("status", status.name())
        .bind("reason", truncate(reason))
        .bind("attempts", attempts)
        .execute();
  }

  int dismiss(Handle h, ProjectionId id, long position, String reason) {
    return keyed(h.createUpdate(sql.get("dismiss_dead_letter")), id)
        .bind("position", position)
        .bind("reason", truncate(reason))
        .execute();
  }

  // ---- the log ------------------------------------------------------------------------------

  /** Events {@code filter} passes in (after, head], counting at most {@code cap}. */
  long countPending(Handle h, EventFilter filter, long after, long head, long cap) {
    if (head <= after) {
      return 0;
    }
    Query q = h.createQuery(sql.get("count_pending"))
        .bind("after", after)
        .bind("head", head)
        .bind("cap", cap);
    store.dialect().bindStrings(q, "types", filter.types());
    store.dialect().bindStrings(q, "categories", filter.categories());
    return q.mapTo(Long.class).one();
  }

  Optional<RecordedEvent> eventAt(Handle h, long position) {
    return h.createQuery(sql.get("event_at")).bind("position", position).map(events).findOne();
  }

  /** The highest position handed out; see position_watermark.sql. */
  long watermark(Handle h) {
    return h.createQuery(sql.get("position_watermark")).mapTo(Long.class).one();
  }

  List<RecordedEvent> inlineEvents(Handle h, AppendResult r) {
    return h.createQuery(sql.get("inline_events"))
        .bind("stream_id", r.streamId())
        .bind("first_version", r.firstVersion())
        .bind("last_version", r.lastVersion())
        .map(events)
        .list();
  }

  /** The oldest in-flight appending transaction of this store (PostgreSQL; empty on SQLite). */
  Optional<InFlightTransaction> oldestFenceHolder(Handle h) {
    if (!postgres) {
      return Optional.empty();
    }
    long ns = Fences.namespace(sql.placeholders().get("qualified_prefix"));
    return h.createQuery(sql.get("oldest_fence_holder"))
        .bind("fence_base", ns << 48)
        .bind("class_low", ns << 16)
        .bind("class_high", (ns << 16) | 0xFFFF)
        .map((rs, ctx) -> {
          OffsetDateTime since = rs.getObject("xact_start", OffsetDateTime.class);
          return new InFlightTransaction(rs.getInt("pid"), rs.getLong("from_position"),
              since == null ? null : since.toInstant(), rs.getString("application_name"), rs.getString("state"));
        })
        .findOne();
  }

  // ---- serving versions ---------------------------------------------------------------------

  OptionalInt servingVersion(Handle h, String name) {
    return h.createQuery(sql.get("serving_version"))
        .bind("name", name)
        .mapTo(Integer.class)
        .findOne()
        .map(OptionalInt::of)
        .orElse(OptionalInt.empty());
  }

  void promote(Handle h, ProjectionId id) {
    keyed(h.createUpdate(sql.get("promote")), id).execute();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S keyed(S statement, ProjectionId id) {
    return statement.bind("name", id.name()).bind("version", id.version());
  }

  private static CheckpointRow checkpoint(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    long failed = rs.getLong("failed_position");
    Long failedPosition = rs.wasNull() ? null : failed;
    return new CheckpointRow(
        ProjectionId.of(rs.getString("name"), rs.getInt("version")),
        rs.getLong("position"),
        rs.getString("owner"),
        rs.getLong("lease_until_ms"),
        ProjectionState.valueOf(rs.getString("state")),
        rs.getString("last_error"),
        failedPosition,
        rs.getBoolean("rebuild_requested"),
        new EventFilter(strings(rs.getString("types")), strings(rs.getString("categories"))),
        rs.getLong("updated_at_ms"),
        rs.getLong("now_ms"),
        rs.getLong("retry_requests"),
        rs.getLong("parked_events"));
  }

  private static DeadLetterRow deadLetter(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    long blocked = rs.getLong("blocked_by");
    Long blockedBy = rs.wasNull() ? null : blocked;
    return new DeadLetterRow(
        ProjectionId.of(rs.getString("name"), rs.getInt("version")),
        rs.getLong("position"),
        rs.getString("stream_id"),
        rs.getLong("stream_version"),
        rs.getString("event_type"),
        ParkedEvent.Status.valueOf(rs.getString("status")),
        blockedBy,
        rs.getString("reason"),
        rs.getInt("attempts"),
        rs.getLong("parked_at_ms"),
        rs.getLong("updated_at_ms"));
  }

  private static String json(Set<String> values) {
    try {
      return JSON.writeValueAsString(new TreeSet<>(values));
    } catch (JsonProcessingException e) {
      throw new ProjectionException("cannot encode the filter " + values + " as JSON", e);
    }
  }

  private static Set<String> strings(String json) {
    try {
      return Set.copyOf(JSON.readValue(json, new TypeReference<List<String>>() {}));
    } catch (JsonProcessingException e) {
      throw new ProjectionException("the stored filter '" + json + "' is not a JSON array of strings", e);
    }
  }

  static String truncate(String text) {
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 1) + "…";
  }
}
