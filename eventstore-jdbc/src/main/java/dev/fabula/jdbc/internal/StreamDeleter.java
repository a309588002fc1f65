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
      String namespace = Dialect.tenantKey(tenant);
      store.call(action, () -> {
        long erased = eraseEvents(h, namespace, streamId);
        h.createUpdate(store.sql().get("tombstone")).bind("tenant_id", namespace).bind("stream_id", streamId).execute();
        if (hasComponent(h, "snapshots")) {
          // A snapshot holds the same data as the events: erase it in the same transaction.
          h.createUpdate(store.sql().substitute(
                  "DELETE FROM ${qualified_prefix}snapshots WHERE tenant_id = :tenant_id AND stream_id = :stream_id"))
              .bind("tenant_id", namespace).bind("stream_id", streamId).execute();
        }
        if (hasComponent(h, "retention")) {
          // Cold storage and the removal records hold the stream's events and id: erase them too.
          for (String table : List.of("archived_events", "archived_streams", "removals")) {
            h.createUpdate(store.sql().substitute("DELETE FROM ${qualified_prefix}" + table
                    + " WHERE tenant_id = :tenant_id AND stream_id = :stream_id"))
                .bind("tenant_id", namespace).bind("stream_id", streamId).execute();
          }
        }
        LOG.info("Hard-deleted stream '{}': {} events erased", streamId, erased);
        return null;
      });
      return null;
    }, true, action);
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

  /** Whether a component (snapshots, projections…) created its tables in this store's schema. */
  private boolean hasComponent(Handle h, String component) {
    return h.createQuery(store.sql().substitute("SELECT COUNT(*) FROM ${qualified_prefix}schema_version WHERE component = :c"))
        .bind("c", component).mapTo(Integer.class).one() > 0;
  }
}
