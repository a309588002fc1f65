package dev.fabula.projections.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fabula.AppendResult;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * dev/fabula/projections/<dialect>/} (or {@code common/}), run through the store's {@link
 * ComponentDatabase} — {@link #read} on a pooled handle, {@link #write} in a store transaction (on
 * SQLite that queues on the store's writer lock, so the runner never spins on a busy file). Errors
 * come out translated, so no {@code SQLException} leaks out. Thread-safe.
 */
public final class ProjectionSql {
  /** The projections' component of the store's database. */
  public static final Component COMPONENT =
      new Component("projections", ProjectionSql.class, "dev/fabula/projections",
          List.of("V1__projections.sql", "V2__rebuild_declaration.sql", "V3__dead_letter_tenants.sql",
              "V4__fencing_tokens.sql", "V5__segments.sql"));
  /** Longest error text stored in a row. */
  private static final int MAX_ERROR_CHARS = 4000;

  private final JdbcEventStore store;
  private final ComponentDatabase db;
  private final RowMapper<RecordedEvent> events;

  private ProjectionSql(JdbcEventStore store, ComponentDatabase db) {
    this.store = store;
    this.db = db;
    this.events = db.events();
  }

  /** Creates or migrates the projection tables. */
  static ProjectionSql open(JdbcEventStore store) {
    return new ProjectionSql(store, ComponentDatabase.open(store, COMPONENT));
  }

  JdbcEventStore store() {
    return store;
  }

  ComponentDatabase db() {
    return db;
  }

  // ---- running statements -------------------------------------------------------------------

  /** Runs reads on a pooled handle. */
  <T> T read(String action, Function<Handle, T> work) {
    return db.read(action, work::apply);
  }

  /** Runs reads that must never write (status reports) on a handle the database keeps from writing. */
  <T> T readOnly(String action, Function<Handle, T> work) {
    return db.readOnly(action, work::apply);
  }

  /** Runs writes in one store transaction; runtime exceptions of {@code work} roll it back and pass unchanged. */
  <T> T write(String action, Function<Handle, T> work) {
    return db.write(action, work::apply);
  }

  // ---- checkpoints --------------------------------------------------------------------------

  void register(Handle h, Projection projection) {
    h.createUpdate(db.sql("register"))
        .bind("name", projection.name())
        .bind("version", projection.version())
        .bind("types", json(projection.filter().types()))
        .bind("categories", json(projection.filter().categories()))
        .bind("rebuildable", projection.rebuildable())
        .execute();
  }

  Optional<CheckpointRow> readCheckpoint(Handle h, ProjectionId id) {
    return h.createQuery(db.sql("read_checkpoint"))
        .bind("name", id.name())
        .bind("version", id.version())
        .map(ProjectionSql::checkpoint)
        .findOne();
  }

  List<CheckpointRow> listCheckpoints(Handle h) {
    return h.createQuery(db.sql("list_checkpoints")).map(ProjectionSql::checkpoint).list();
  }

  /** A lease holder as the row knows it: its owner name and the fencing token it took the lease with. */
  record Holder(String owner, long token) {}

  /** The checkpoint, state, rebuild flag and fencing token the lease came with. */
  record Acquired(long position, ProjectionState state, boolean rebuildRequested, long token) {}

  Optional<Acquired> acquire(Handle h, ProjectionId id, String owner, long leaseMs) {
    return keyed(h.createQuery(db.sql("acquire_lease")), id)
        .bind("owner", owner)
        .bind("lease_ms", leaseMs)
        .map((rs, ctx) -> new Acquired(rs.getLong("position"), ProjectionState.valueOf(rs.getString("state")),
            rs.getBoolean("rebuild_requested"), rs.getLong("fencing_token")))
        .findOne();
  }

  int renew(Handle h, ProjectionId id, Holder holder, long leaseMs) {
    return held(h.createUpdate(db.sql("renew_lease")), id, holder).bind("lease_ms", leaseMs).execute();
  }

  int release(Handle h, ProjectionId id, Holder holder) {
    return held(h.createUpdate(db.sql("release_lease")), id, holder).execute();
  }

  /**
   * PostgreSQL: bounds how long this transaction may sit idle ({@code
   * idle_in_transaction_session_timeout}) or wait for a lock ({@code lock_timeout}); see {@code
   * limit_transaction.sql}. SQLite has no server to end a frozen writer's transaction: nothing to do.
   */
  void limitTransaction(Handle h, long millis) {
    if (db.has("limit_transaction")) {
      h.createQuery(db.sql("limit_transaction")).bind("idle_ms", millis).bind("lock_ms", millis).mapToMap().one();
    }
  }

  /** What the lock of a checkpoint row found. */
  record Locked(boolean rebuildRequested, ProjectionState state) {}

  Optional<Locked> lock(Handle h, ProjectionId id, Holder holder, long position, long leaseMs) {
    return held(h.createQuery(db.sql("lock_checkpoint")), id, holder)
        .bind("position", position)
        .bind("lease_ms", leaseMs)
        .map((rs, ctx) -> new Locked(rs.getBoolean("rebuild_requested"), ProjectionState.valueOf(rs.getString("state"))))
        .findOne();
  }

  int advance(Handle h, ProjectionId id, Holder holder, long read, long position, ProjectionState state, long leaseMs) {
    return held(h.createUpdate(db.sql("advance_checkpoint")), id, holder)
        .bind("read", read)
        .bind("position", position)
        .bind("state", state.name())
        .bind("lease_ms", leaseMs)
        .execute();
  }

  int setState(Handle h, ProjectionId id, Holder holder, ProjectionState state) {
    return held(h.createUpdate(db.sql("set_state")), id, holder).bind("state", state.name()).execute();
  }

  int markFailed(Handle h, ProjectionId id, Holder holder, @Nullable Long failedPosition, String error) {
    return held(h.createUpdate(db.sql("mark_failed")), id, holder)
        .bind("failed_position", failedPosition)
        .bind("error", truncate(error))
        .execute();
  }

  int resume(Handle h, ProjectionId id) {
    return keyed(h.createUpdate(db.sql("resume")), id).execute();
  }

  int requestRebuild(Handle h, ProjectionId id) {
    return keyed(h.createUpdate(db.sql("request_rebuild")), id).execute();
  }

  int resetCheckpoint(Handle h, ProjectionId id, Holder holder, long read, long leaseMs) {
    return held(h.createUpdate(db.sql("reset_checkpoint")), id, holder).bind("read", read).bind("lease_ms", leaseMs).execute();
  }

  int dropCheckpoint(Handle h, ProjectionId id) {
    return keyed(h.createUpdate(db.sql("drop_checkpoint")), id).execute();
  }

  // ---- dead letters -------------------------------------------------------------------------

  void deleteDeadLetters(Handle h, ProjectionId id) {
    keyed(h.createUpdate(db.sql("delete_dead_letters")), id).execute();
  }

  void park(Handle h, ProjectionId id, RecordedEvent e, @Nullable Long blockedBy, String reason, int attempts) {
    h.createUpdate(db.sql("park_event"))
        .bind("name", id.name())
        .bind("version", id.version())
        .bind("position", e.position())
        .bind("tenant_id", StreamKey.of(e).tenantKey())
        .bind("stream_id", e.streamId())
        .bind("stream_version", e.streamVersion())
        .bind("event_type", e.type())
        .bind("blocked_by", blockedBy)
        .bind("reason", truncate(reason))
        .bind("attempts", attempts)
        .execute();
  }

  /** Held-back streams and the first parked position of each. */
  Map<StreamKey, Long> parkedStreams(Handle h, ProjectionId id) {
    Map<StreamKey, Long> out = new HashMap<>();
    keyed(h.createQuery(db.sql("parked_streams")), id)
        .map((rs, ctx) -> Map.entry(new StreamKey(rs.getString("tenant_id"), rs.getString("stream_id")),
            rs.getLong("first_position")))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  List<DeadLetterRow> deadLetters(Handle h, ProjectionId id) {
    return keyed(h.createQuery(db.sql("list_dead_letters")), id).map(ProjectionSql::deadLetter).list();
  }

  Optional<DeadLetterRow> deadLetterAt(Handle h, ProjectionId id, long position) {
    return keyed(h.createQuery(db.sql("dead_letter_at")), id)
        .bind("position", position)
        .map(ProjectionSql::deadLetter)
        .findOne();
  }

  /** Marks the parked events of {@code stream} for retry, or of every stream when it is null. */
  int requestRetry(Handle h, ProjectionId id, @Nullable StreamKey stream) {
    return keyed(h.createUpdate(db.sql("request_retry")), id)
        .bind("tenant_id", stream == null ? "" : stream.tenantKey())
        .bind("stream_id", stream == null ? null : stream.streamId())
        .execute();
  }

  List<StreamKey> retryStreams(Handle h, ProjectionId id) {
    return keyed(h.createQuery(db.sql("retry_streams")), id)
        .map((rs, ctx) -> new StreamKey(rs.getString("tenant_id"), rs.getString("stream_id")))
        .list();
  }

  List<DeadLetterRow> streamDeadLetters(Handle h, ProjectionId id, StreamKey stream) {
    return keyed(h.createQuery(db.sql("stream_dead_letters")), id)
        .bind("tenant_id", stream.tenantKey())
        .bind("stream_id", stream.streamId())
        .map(ProjectionSql::deadLetter)
        .list();
  }

  int settle(Handle h, ProjectionId id, long position, ParkedEvent.Status status, String reason, int attempts) {
    return keyed(h.createUpdate(db.sql("settle_dead_letter")), id)
        .bind("position", position)
        .bind("status", status.name())
        .bind("reason", truncate(reason))
        .bind("attempts", attempts)
        .execute();
  }

  int dismiss(Handle h, ProjectionId id, long position, String reason) {
    return keyed(h.createUpdate(db.sql("dismiss_dead_letter")), id)
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
    Query q = h.createQuery(db.sql("count_pending"))
        .bind("after", after)
        .bind("head", head)
        .bind("cap", cap);
    db.bindStrings(q, "types", filter.types());
    db.bindStrings(q, "categories", filter.categories());
    return q.mapTo(Long.class).one();
  }

  /** The highest position handed out; see position_watermark.sql. */
  long watermark(Handle h) {
    return h.createQuery(db.sql("position_watermark")).mapTo(Long.class).one();
  }

  List<RecordedEvent> inlineEvents(Handle h, @Nullable String tenant, AppendResult r) {
    return h.createQuery(db.sql("inline_events"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("stream_id", r.streamId())
        .bind("first_version", r.firstVersion())
        .bind("last_version", r.lastVersion())
        .map(events)
        .list();
  }

  // ---- serving versions ---------------------------------------------------------------------

  OptionalInt servingVersion(Handle h, String name) {
    return h.createQuery(db.sql("serving_version"))
        .bind("name", name)
        .mapTo(Integer.class)
        .findOne()
        .map(OptionalInt::of)
        .orElse(OptionalInt.empty());
  }

  void promote(Handle h, ProjectionId id) {
    keyed(h.createUpdate(db.sql("promote")), id).execute();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S keyed(S statement, ProjectionId id) {
    return statement.bind("name", id.name()).bind("version", id.version());
  }

  /** Binds the projection's key and the holder's owner name and fencing token. */
  private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S held(S statement, ProjectionId id, Holder holder) {
    return keyed(statement, id).bind("owner", holder.owner()).bind("fencing_token", holder.token());
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
        rs.getBoolean("rebuildable"),
        new EventFilter(strings(rs.getString("types")), strings(rs.getString("categories"))),
        rs.getLong("updated_at_ms"),
        rs.getLong("now_ms"),
        rs.getLong("retry_requests"),
        rs.getLong("parked_events"),
        rs.getLong("fencing_token"));
  }

  private static DeadLetterRow deadLetter(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    long blocked = rs.getLong("blocked_by");
    Long blockedBy = rs.wasNull() ? null : blocked;
    return new DeadLetterRow(
        ProjectionId.of(rs.getString("name"), rs.getInt("version")),
        rs.getLong("position"),
        rs.getString("tenant_id"),
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
    return ComponentDatabase.json(new TreeSet<>(values));
  }

  private static Set<String> strings(String json) {
    return Set.copyOf(ComponentDatabase.fromJson(json, new TypeReference<List<String>>() {}));
  }

  static String truncate(String text) {
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 1) + "…";
  }
}
