package dev.fabula.projections.internal;

import dev.fabula.Erasure;
import dev.fabula.Transaction;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.spi.ErasureParticipant;
import dev.fabula.spi.ErasureScope;
import org.jdbi.v3.core.Handle;

/**
 * What the projections' tables keep of erased events: dead letters (with their reasons, which may
 * quote the event) are deleted, by stream for a stream erasure and by position for a subject's
 * events, in the erased tenant only; the error a projection stopped with at an erased event is
 * replaced by {@link #REDACTED}.
 */
final class ProjectionsErasure implements ErasureParticipant {
  /** What a projection's last error reads after the event it names was erased. */
  static final String REDACTED = "[erased: the event this error was about was erased]";

  private final ComponentDatabase db;

  ProjectionsErasure(ComponentDatabase db) {
    this.db = db;
  }

  @Override
  public String name() {
    return "projections";
  }

  @Override
  public long erase(ErasureScope scope, Transaction tx) {
    Handle h = tx.unwrap(Handle.class);
    long n = 0;
    if (scope.kind() == Erasure.Kind.STREAM) {
      for (String stream : scope.streams()) {
        n += h.createUpdate(db.sql("erase_stream_dead_letters")).bind("tenant_id", scope.tenantKey()).bind("stream_id", stream).execute();
      }
    } else {
      for (long position : scope.positions()) {
        n += h.createUpdate(db.sql("erase_dead_letters_at")).bind("tenant_id", scope.tenantKey()).bind("position", position).execute();
      }
    }
    for (long position : scope.positions()) {
      n += h.createUpdate(db.sql("erase_failure_at")).bind("failed_position", position).bind("redacted", REDACTED).execute();
      n += h.createUpdate(db.sql("erase_segment_failure_at")).bind("failed_position", position).bind("redacted", REDACTED).execute();
    }
    return n;
  }
}
