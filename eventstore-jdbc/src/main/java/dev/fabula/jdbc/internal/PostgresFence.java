package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Statements;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The read fence of one PostgreSQL store (the reasoning is in {@code append.sql}): the key of its
 * advisory locks, and the read horizon computed from the locks held.
 *
 * <p>A fence is the two-int advisory lock {@code (events table's OID, fence position mod 2^32)}.
 * The OID is unique per database, so stores in any number of schemas never share a fence; the
 * position's high bits are not in the key, and {@link #position} puts them back from the highest
 * position handed out, read after the locks. Thread-safe.
 */
final class PostgresFence {
  private static final long LOW_BITS = 0xFFFF_FFFFL;

  /** The events table's OID as the signed int the lock functions take; looked up on first use. */
  private volatile long key = Long.MIN_VALUE;

  /** The lock's first key for this store: its events table's OID, reinterpreted as a signed int. */
  int key(Handle handle, Statements sql) {
    long k = key;
    if (k == Long.MIN_VALUE) {
      // The table exists once the store is open; its OID only changes if it is dropped.
      k = handle.createQuery(sql.get("fence_key")).mapTo(Long.class).one();
      key = k;
    }
    return (int) k;
  }

  /**
   * The newest position readers may return, before rolled-back positions are skipped: the highest
   * position handed out, held below the smallest fence of an appending transaction still open.
   */
  long horizon(Handle handle, Statements sql) {
    // Order matters (see the fence in append.sql): the sequence first, the fences second, then the
    // sequence again to place them, each in its own statement.
    long handedOut = handedOut(handle, sql);
    List<Long> fences = handle.createQuery(sql.get("safe_horizon_fences"))
        .bind("fence_table", Integer.toUnsignedLong(key(handle, sql)))
        .mapTo(Long.class)
        .list();
    if (fences.isEmpty()) {
      return handedOut;
    }
    long latest = handedOut(handle, sql);
    long smallest = Long.MAX_VALUE;
    for (long lowBits : fences) {
      smallest = Math.min(smallest, position(latest, lowBits));
    }
    return Math.min(handedOut, smallest - 1);
  }

  private static long handedOut(Handle handle, Statements sql) {
    return handle.createQuery(sql.get("safe_horizon_sequence")).mapTo(Long.class).one();
  }

  /**
   * The fence position whose low 32 bits are {@code lowBits}: the largest one at or below {@code
   * latest + 1}. Exact when {@code latest} was read after the lock was seen (so the fence is at or
   * below {@code latest + 1}) and fewer than 2^32 positions were handed out while its transaction
   * stayed open (so it is above {@code latest + 1 - 2^32}).
   */
  static long position(long latest, long lowBits) {
    long ceiling = latest + 1;
    return ceiling - ((ceiling - lowBits) & LOW_BITS);
  }
}
