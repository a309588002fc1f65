package dev.fabula.jdbc.internal;

import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.ExpectedParameters;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes: the soft delete (a tombstone, under an expected version) and the hard delete, which
 * erases a stream's events (through the schema owner's function on PostgreSQL, behind the
 * append-only guard's named escape hatch on SQLite) and its snapshot, and leaves a tombstone. Each runs in a stand-alone transaction of its own. Thread-safe.
 */
final class StreamDeleter {
  private static final Logger LOG = LoggerFactory.getLogger(StreamDeleter.class);

  private final StoreContext store;
  private final UnitsOfWork work;
  private final Appender appender;

  StreamDeleter(StoreContext store, UnitsOfWork work, Appender appender) {
    this.store = store;
    this.work = work;
    this.appender = appender;
  }

  void deleteStream(@Nullable String tenant, String streamId, ExpectedVersion expected) {
    String action = "deleting stream '" + streamId + "'";
    work.transaction(tenant, tx -> {
      Handle h = tx.handle();
      if (store.call(action, () -> store.streamRow(h, tenant, streamId).isEmpty() && store.tombstones().erased(h, store, tenant, streamId))) {
        throw new dev.fabula.StreamDeletedException(streamId);
      }
      ExpectedParameters p = ExpectedParameters.of(expected);
      boolean deleted = store.call(action, () -> h.createQuery(store.dialect().deleteStatement(store.sql(), p))
          .bind("stream_id", streamId)
          .bind("tenant_id", Dialect.tenantKey(tenant))
          .bind("may_create", p.mayCreate())
          .bind("may_update", p.mayUpdate())
          .bind("expected", p.expected())
          .mapTo(Long.class)
          .findOne()
          .isPresent());
      if (!deleted) {
        throw appender.whyNot(h, tenant, streamId, expected);
      }
      return null;
    }, true, action);
  }

  void hardDeleteStream(@Nullable String tenant, String streamId) {
    String action = "erasing stream '" + streamId + "'";
    work.transaction(tenant, tx -> {
      Handle h = tx.handle();
      store.call(action, () -> {
        long erased = eraseStream(h, tenant, streamId).events();
        LOG.info("Hard-deleted a stream: {} events erased", erased);
        return null;
      });
      return null;
    }, true, action);
  }

  /** What {@link #eraseStream} erased. */
  record Erased(long events, long snapshots) {}

  /**
   * Erases a stream in an open transaction: its events, its snapshot, and its row, which becomes a
   * tombstone under the keyed hash of its id ({@link Tombstones}) once the store's erasure tables
   * exist (before, the tombstone keeps the id, and a WARN says so). A stream erased before is left
   * as it is.
   */
  Erased eraseStream(Handle h, @Nullable String tenant, String streamId) {
    String namespace = Dialect.tenantKey(tenant);
    Tombstones tombstones = store.tombstones();
    if (store.streamRow(h, tenant, streamId).isEmpty() && tombstones.erased(h, store, tenant, streamId)) {
      return new Erased(0, 0);
    }
    // The tombstone first: it locks the stream's row, so an append creating the stream meanwhile
    // commits before the events are erased (and they are erased with the rest).
    h.createUpdate(store.sql().get("tombstone")).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
    long erased = eraseEvents(h, namespace, streamId);
    long snapshots = 0;
    if (hasComponent(h, "snapshots")) {
      // A snapshot holds the same data as the events: erase it in the same transaction.
      snapshots = deleteSnapshot(h, namespace, streamId);
    }
    if (hasComponent(h, "retention")) {
      // Cold storage and the removal records hold the stream's events and id: erase them too.
      for (String table : List.of("archived_events", "archived_streams", "removals")) {
        h.createUpdate(store.sql().substitute("DELETE FROM ${qualified_prefix}" + table
                + " WHERE tenant_id = :tenant_id AND stream_id = :stream_id"))
            .bind("tenant_id", namespace).bind("stream_id", streamId).execute();
      }
    }
    if (!tombstones.isInstalled()) {
      LOG.warn("A hard-deleted stream's tombstone keeps its id: this store's erasure tables are not migrated "
          + "(run JdbcEventStore.migrate), so its id cannot be hashed");
      return new Erased(erased, snapshots);
    }
    byte[] secret = tombstones.secretOrCreate(h, store, store.now());
    h.createUpdate(store.sql().get("rename_to_tombstone"))
        .bind("tenant_id", namespace)
        .bind("stream_id", streamId)
        .bind("tombstone_id", dev.fabula.internal.Erasures.tombstoneId(secret, tenant, streamId))
        .execute();
    return new Erased(erased, snapshots);
  }

  /**
   * Erases the stream's events in a tenant's namespace: through the schema owner's function where
   * the dialect has one ({@code hard_delete_stream}: PostgreSQL, where roles decide who may erase),
   * else behind the guard's escape hatch (SQLite: one file, no roles).
   */
  private long eraseEvents(Handle h, String namespace, String streamId) {
    if (store.sql().has("hard_delete_stream")) {
      return h.createQuery(store.sql().get("hard_delete_stream"))
          .bind("tenant_id", namespace).bind("stream_id", streamId).mapTo(Long.class).one();
    }
    escapeHatch(h, "allow_hard_delete", namespace, streamId);
    int erased = h.createUpdate(store.sql().get("hard_delete_events"))
        .bind("tenant_id", namespace).bind("stream_id", streamId).execute();
    escapeHatch(h, "forbid_hard_delete", namespace, streamId);
    return erased;
  }

  /** Opens or closes the append-only guard's per-stream escape hatch (a permit row, SQLite). */
  private void escapeHatch(Handle h, String statement, String namespace, String streamId) {
    h.createUpdate(store.sql().get(statement)).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
  }

  /** Deletes a stream's snapshot (the snapshots component's table, which exists: see {@link #hasComponent}). */
  int deleteSnapshot(Handle h, String namespace, String streamId) {
    return h.createUpdate(store.sql().substitute(
            "DELETE FROM ${qualified_prefix}snapshots WHERE tenant_id = :tenant_id AND stream_id = :stream_id"))
        .bind("tenant_id", namespace).bind("stream_id", streamId).execute();
  }

  /** Whether a component (snapshots, projections…) created its tables in this store's schema. */
  boolean hasComponent(Handle h, String component) {
    return h.createQuery(store.sql().substitute("SELECT COUNT(*) FROM ${qualified_prefix}schema_version WHERE component = :c"))
        .bind("c", component).mapTo(Integer.class).one() > 0;
  }
}
