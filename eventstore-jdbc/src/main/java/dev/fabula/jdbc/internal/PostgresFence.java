package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Statements;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The read fence of one PostgreSQL store (the reasoning is in {@code append.sql}): the key of its
 * advisory locks, and the head of the log that readers may read up to.
 *
 * <p>A fence is the two-int advisory lock {@code (events table's OID, fence position mod 2^32)}.
 * The OID is unique per database, so stores in any number of schemas never share a fence; the
 * position's high bits are not in the key, and {@code safe_horizon_head_fenced.sql} puts them back
 * from the highest position handed out, read after the locks. Thread-safe.
 */
final class PostgresFence {
  /** The events table's OID (unsigned) once looked up; OIDs are never negative. */
  private volatile long tableOid = -1;

  /** The lock's first key for this store: its events table's OID, reinterpreted as a signed int. */
  int key(Handle handle, Statements sql) {
    return (int) tableOid(handle, sql);
  }

  private long tableOid(Handle handle, Statements sql) {
    long oid = tableOid;
    if (oid < 0) {
      // The table exists once the store is open; its OID only changes if it is dropped.
      oid = handle.createQuery(sql.get("fence_key")).mapTo(Long.class).one();
      tableOid = oid;
    }
    return oid;
  }

  /**
   * The newest committed position readers may return: every event at or below it has committed or
   * rolled back. Three statements, in this order (see the fence in append.sql): the highest position
   * handed out, the fences held, then the head below both (placing the fences reads the sequence
   * again); with no fence held, the head below the highest position handed out.
   */
  long head(Handle handle, Statements sql) {
    long handedOut = handle.createQuery(sql.get("safe_horizon_sequence")).mapTo(Long.class).one();
    List<Long> fences = handle.createQuery(sql.get("safe_horizon_fences"))
        .bind("fence_table", tableOid(handle, sql))
        .mapTo(Long.class)
        .list();
    if (fences.isEmpty()) {
      return handle.createQuery(sql.get("safe_horizon_head")).bind("horizon", handedOut).mapTo(Long.class).one();
    }
    return handle.createQuery(sql.get("safe_horizon_head_fenced"))
        .bind("handed_out", handedOut)
        .bindArray("low_bits", Long.class, fences)
        .mapTo(Long.class)
        .one();
  }
}
