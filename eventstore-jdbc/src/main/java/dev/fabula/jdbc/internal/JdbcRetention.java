package dev.fabula.jdbc.internal;

import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RemovedRange;
import dev.fabula.StreamArchivedException;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.Streams;
import dev.fabula.TruncatedRangeException;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.spi.RetentionStorage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC store's retention: component {@code retention} ({@code dev/fabula/retention/<dialect>/}),
 * tables {@code removals}, {@code archived_events} and {@code archived_streams} next to the events.
 *
 * <p><b>Removing.</b> Each truncation or archive is one store transaction of the stream's tenant:
 * (PostgreSQL) lock the removals table so removals commit in id order, measure what goes, copy it to
 * cold storage when archiving, delete it past the append-only guard (the owner's function on
 * PostgreSQL, the per-stream escape hatch on SQLite), and record the removal.
 *
 * <p><b>Telling readers.</b> {@link #check} runs after a page of a log read, on the same handle:
 * a page read before a removal committed saw the events; one read after finds the removal's row.
 * Each page reads the largest removed position with its rows ({@code read_all_checked.sql}), so the
 * check runs only for a page that starts below a removal's end (any tenant's or category's), or
 * that has no rows; a reader past every removal, the common case, runs no removals query.
 * Until the tables exist (opened without migrating, on an older schema) there is nothing to check.
 * Thread-safe.
 */
final class JdbcRetention implements RetentionStorage {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcRetention.class);
  /** The component: its name in the schema version table, its SQL, its migrations. */
  static final Component COMPONENT =
      new Component("retention", JdbcRetention.class, "dev/fabula/retention", List.of("V1__retention.sql"));

  private final StoreContext store;
  private volatile @Nullable JdbcBackend backend;
  private volatile @Nullable ComponentDb db;

  JdbcRetention(StoreContext store) {
    this.store = store;
  }

  /**
   * Once the backend is open: opens the component now if the store migrates on open or the tables
   * are already there, so that log reads check removals from the first read.
   */
  void attach(JdbcBackend backend, boolean migrateOnOpen) {
    this.backend = backend;
    if (migrateOnOpen || installed(backend)) {
      db = ComponentDb.open(backend, COMPONENT);
    }
  }

  private static boolean installed(JdbcBackend backend) {
    return backend.schemaVersions().stream().anyMatch(v -> v.component().equals(COMPONENT.name()) && v.installed() > 0);
  }

  /** The component, opened (and migrated, if the store migrates on open) on first use. */
  private ComponentDb db() {
    ComponentDb opened = db;
    if (opened == null) {
      synchronized (this) {
        if (db == null) {
          db = ComponentDb.open(java.util.Objects.requireNonNull(backend, "attach first"), COMPONENT);
        }
        opened = db;
      }
    }
    return opened;
  }

  // ---- log reads ------------------------------------------------------------------------------

  /** What log reads consult: {@link #check}, once the component is open. */
  LogReader.RemovalCheck removalCheck() {
    return new LogReader.RemovalCheck() {
      @Override
      public void check(Handle h, LogQuery query, long after, long until) {
        JdbcRetention.this.check(h, query, after, until);
      }

      @Override
      public boolean recorded() {
        return db != null;
      }
    };
  }

  /** Throws if a log read of {@code (after, until]} for {@code query} crosses a removal it concerns. */
  void check(Handle h, LogQuery query, long after, long until) {
    ComponentDb opened = db;
    if (opened == null) {
      return;
    }
    List<RemovedRange> crossed = removed(h, opened, query, after, until);
    if (!crossed.isEmpty()) {
      throw new TruncatedRangeException(after, crossed);
    }
  }

  @Override
  public List<RemovedRange> removedAfter(LogQuery query) {
    ComponentDb opened = db();
    return opened.read(query.tenantId(), "reading the removals", h -> removed(h, opened, query, query.afterPosition(), Long.MAX_VALUE));
  }

  private List<RemovedRange> removed(Handle h, ComponentDb opened, LogQuery query, long after, long until) {
    var q = h.createQuery(opened.sql("removed_after"))
        .bind("after", after)
        .bind("until", until)
        .bind("accepted", query.acceptedRemovals())
        .bind("tenant_id", query.tenantId());
    opened.bindStrings(q, "categories", query.categories());
    return q.map((rs, ctx) -> range(rs, opened)).list();
  }

  private static RemovedRange range(ResultSet rs, ComponentDb db) throws SQLException {
    return new RemovedRange(rs.getLong(1), rs.getString(2), RemovedRange.Kind.valueOf(rs.getString(3)), rs.getLong(4),
        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), db.readTime(rs, 9));
  }

  // ---- truncation -----------------------------------------------------------------------------

  @Override
  public Optional<RemovedRange> truncate(@Nullable String tenant, String streamId, Cut cut) {
    ComponentDb db = db();
    return db.write(tenant, "truncating stream '" + streamId + "'", h -> {
      lock(h, db);
      Optional<StreamInfo> info = store.streamInfo(h, tenant, streamId);
      if (info.isEmpty()) {
        return Optional.<RemovedRange>empty();
      }
      long before = before(h, db, tenant, streamId, info.get().version(), cut);
      return remove(h, db, tenant, streamId, before, RemovedRange.Kind.TRUNCATED);
    });
  }

  private long before(Handle h, ComponentDb db, @Nullable String tenant, String streamId, long version, Cut cut) {
    if (cut instanceof BeforeVersion v) {
      return v.version();
    }
    if (cut instanceof KeepLast k) {
      return version - k.count() + 1;
    }
    Instant since = ((OlderThan) cut).instant();
    Long first = h.createQuery(db.sql("first_version_since"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("stream_id", streamId)
        .bind("since", db.time(since))
        .mapTo(Long.class)
        .list().get(0); // null when every event is older
    return first == null ? version + 1 : first;
  }

  /** Removes the stream's events below {@code before} and records it; empty if there were none. */
  private Optional<RemovedRange> remove(Handle h, ComponentDb db, @Nullable String tenant, String streamId, long before,
      RemovedRange.Kind kind) {
    String namespace = Dialect.tenantKey(tenant);
    var stats = h.createQuery(db.sql("removal_stats"))
        .bind("tenant_id", namespace).bind("stream_id", streamId).bind("before_version", before)
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)})
        .one();
    if (stats[4] == 0) {
      return Optional.empty();
    }
    if (kind == RemovedRange.Kind.ARCHIVED) {
      h.createUpdate(db.sql("archive_events")).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
    }
    long removed = deleteEvents(h, db, namespace, streamId, before);
    if (removed != stats[4]) {
      throw new dev.fabula.EventStoreException("removing events of stream '" + streamId + "' removed " + removed
          + " rows where " + stats[4] + " were counted; nothing was changed, try again");
    }
    Instant now = store.now();
    long id = h.createQuery(db.sql("insert_removal"))
        .bind("tenant_id", namespace)
        .bind("stream_id", streamId)
        .bind("category", Streams.category(streamId))
        .bind("kind", kind.name())
        .bind("from_version", stats[0])
        .bind("to_version", stats[1])
        .bind("first_position", stats[2])
        .bind("last_position", stats[3])
        .bind("event_count", stats[4])
        .bind("removed_at", db.time(now))
        .mapTo(Long.class)
        .one();
    RemovedRange range = new RemovedRange(id, streamId, kind, stats[0], stats[1], stats[2], stats[3], stats[4], now);
    LOG.info("Retention: {}", range.describe());
    return Optional.of(range);
  }

  /** Deletes past the append-only guard: the owner's function (PostgreSQL) or the stream's escape hatch (SQLite). */
  private long deleteEvents(Handle h, ComponentDb db, String namespace, String streamId, long before) {
    if (!store.sql().has("allow_hard_delete")) {
      return h.createQuery(db.sql("delete_events_before"))
          .bind("tenant_id", namespace).bind("stream_id", streamId).bind("before_version", before)
          .mapTo(Long.class).one();
    }
    h.createUpdate(store.sql().get("allow_hard_delete")).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
    int removed = h.createUpdate(db.sql("delete_events_before"))
        .bind("tenant_id", namespace).bind("stream_id", streamId).bind("before_version", before).execute();
    h.createUpdate(store.sql().get("forbid_hard_delete")).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
    return removed;
  }

  /** Serialises retention transactions where the database has concurrent writers (see lock_removals.sql). */
  private static void lock(Handle h, ComponentDb db) {
    if (db.has("lock_removals")) {
      h.createUpdate(db.sql("lock_removals")).execute();
    }
  }

  @Override
  public List<String> streamsOf(@Nullable String tenant, String category) {
    ComponentDb db = db();
    return db.read(tenant, "listing the streams of category '" + category + "'", h -> h.createQuery(db.sql("streams_of_category"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("category", category)
        .mapTo(String.class)
        .list());
  }

  // ---- archive --------------------------------------------------------------------------------

  @Override
  public Optional<RemovedRange> archive(@Nullable String tenant, String streamId) {
    ComponentDb db = db();
    return db.write(tenant, "archiving stream '" + streamId + "'", h -> {
      lock(h, db);
      StreamInfo info = store.streamInfo(h, tenant, streamId).orElseThrow(() ->
          new InvalidInputException("cannot archive stream '" + streamId + "': it does not exist"));
      if (isArchived(h, db, tenant, streamId)) {
        throw new StreamArchivedException(streamId);
      }
      if (info.deleted()) {
        throw new StreamDeletedException(streamId);
      }
      Optional<RemovedRange> range = remove(h, db, tenant, streamId, Long.MAX_VALUE, RemovedRange.Kind.ARCHIVED);
      h.createUpdate(db.sql("insert_archived_stream")).bind("tenant_id", Dialect.tenantKey(tenant)).bind("stream_id", streamId)
          .bind("archived_at", db.time(store.now())).execute();
      markDeleted(h, db, tenant, streamId, true);
      return range;
    });
  }

  @Override
  public void unarchive(@Nullable String tenant, String streamId) {
    ComponentDb db = db();
    String namespace = Dialect.tenantKey(tenant);
    db.write(tenant, "unarchiving stream '" + streamId + "'", h -> {
      lock(h, db);
      int marks = h.createUpdate(db.sql("delete_archived_stream")).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
      if (marks == 0) {
        throw new InvalidInputException("cannot unarchive stream '" + streamId + "': it is not archived");
      }
      h.createUpdate(db.sql("unarchive_events")).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
      h.createUpdate(db.sql("delete_archived_events")).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
      h.createUpdate(db.sql("delete_archive_removal")).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
      markDeleted(h, db, tenant, streamId, false);
      LOG.info("Retention: stream '{}' unarchived", streamId);
      return null;
    });
  }

  private static void markDeleted(Handle h, ComponentDb db, @Nullable String tenant, String streamId, boolean deleted) {
    h.createUpdate(db.sql("mark_stream_deleted")).bind("tenant_id", Dialect.tenantKey(tenant)).bind("stream_id", streamId)
        .bind("deleted", deleted).execute();
  }

  private static boolean isArchived(Handle h, ComponentDb db, @Nullable String tenant, String streamId) {
    return h.createQuery(db.sql("is_archived")).bind("tenant_id", Dialect.tenantKey(tenant)).bind("stream_id", streamId)
        .mapTo(Integer.class).findOne().isPresent();
  }

  @Override
  public boolean archived(@Nullable String tenant, String streamId) {
    ComponentDb opened = db;
    if (opened == null) {
      return false;
    }
    return opened.read(tenant, "reading stream '" + streamId + "'", h -> isArchived(h, opened, tenant, streamId));
  }

  @Override
  public List<RecordedEvent> readArchived(@Nullable String tenant, String streamId) {
    ComponentDb db = db();
    return db.read(tenant, "reading archived stream '" + streamId + "'", h -> h.createQuery(db.sql("read_archived"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("stream_id", streamId)
        .map(db.events())
        .list());
  }
}
