package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.StreamInfo;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.Statements;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jspecify.annotations.Nullable;

/**
 * What every part of one open JDBC store shares: its configuration, dialect, Jdbi, statements and
 * event row mapper. Immutable.
 */
record StoreContext(
    EventStoreConfig config, Dialect dialect, Jdbi jdbi, Statements sql, RowMapper<RecordedEvent> events, Tombstones tombstones) {

  /**
   * Runs a statement of ours inside an open transaction, translating its errors; a transient one
   * passes unchanged, for the transaction's owner to decide whether to retry.
   */
  <T> T call(String action, Supplier<T> work) {
    try {
      return work.get();
    } catch (EventStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      if (dialect.isRetryable(e)) {
        throw e;
      }
      throw dialect.translate(e, action);
    }
  }

  /** A stream's row in {@code tenant}'s namespace (null: the unconfined store's), on an open handle. */
  Optional<StreamInfo> streamInfo(Handle h, @Nullable String tenant, String streamId) {
    Optional<StreamInfo> row = streamRow(h, tenant, streamId);
    if (row.isEmpty() && tombstones.erased(h, this, tenant, streamId)) {
      // Erased: its tombstone holds a hash of the id, not the id (see Tombstones).
      return Optional.of(new StreamInfo(streamId, 0, tenant, true));
    }
    return row;
  }

  /** The row stored under {@code streamId} exactly, without looking for an erased stream's tombstone. */
  Optional<StreamInfo> streamRow(Handle h, @Nullable String tenant, String streamId) {
    return h.createQuery(sql.get("stream_info"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("stream_id", streamId)
        .map((rs, ctx) -> new StreamInfo(rs.getString(1), rs.getLong(2), tenant, rs.getBoolean(3)))
        .findOne();
  }

  /** The clock's time at the databases' precision (microseconds). */
  Instant now() {
    return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
  }
}
