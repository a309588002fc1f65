package dev.fabula.projections.internal;

import dev.fabula.projections.InFlightTransaction;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The event store's PostgreSQL fence positions, for status reports on in-flight appends ({@code
 * oldest_fence_holder.sql}). A fence's lock key holds only the low 32 bits of its position; this
 * puts the high bits back as the store's readers do (see the fence's namespace in its {@code
 * append.sql}); a test holds an append open and checks that the status finds it.
 */
final class Fences {
  private Fences() {}

  /** The oldest in-flight appending transaction of this store (PostgreSQL; empty on SQLite). */
  static Optional<InFlightTransaction> oldestHolder(ProjectionSql sql, Handle h) {
    if (!sql.db().has("oldest_fence_holder")) {
      return Optional.empty();
    }
    record Holder(int pid, long lowBits, @Nullable Instant since, @Nullable String application, @Nullable String state) {}
    List<Holder> holders = h.createQuery(sql.db().sql("oldest_fence_holder"))
        .map((rs, ctx) -> {
          OffsetDateTime since = rs.getObject("xact_start", OffsetDateTime.class);
          return new Holder(rs.getInt("pid"), rs.getLong("low_bits"), since == null ? null : since.toInstant(),
              rs.getString("application_name"), rs.getString("state"));
        })
        .list();
    if (holders.isEmpty()) {
      return Optional.empty();
    }
    long latest = sql.watermark(h); // read after the locks: every fence seen is at or below latest + 1
    return holders.stream()
        .map(x -> new InFlightTransaction(x.pid(), position(latest, x.lowBits()), x.since(), x.application(), x.state()))
        .min(java.util.Comparator.comparingLong(InFlightTransaction::fromPosition)
            .thenComparing(t -> t.since() == null ? Instant.MAX : t.since()));
  }

  /**
   * The fence position whose low 32 bits are {@code lowBits}: the largest at or below {@code
   * latest + 1}, {@code latest} being the highest position handed out, read after the locks.
   */
  static long position(long latest, long lowBits) {
    long ceiling = latest + 1;
    return ceiling - ((ceiling - lowBits) & 0xFFFF_FFFFL);
  }
}
