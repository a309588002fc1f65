package dev.fabula.console.internal;

import dev.fabula.Erasure;
import dev.fabula.Transaction;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.spi.ErasureParticipant;
import dev.fabula.spi.ErasureScope;
import org.jdbi.v3.core.Handle;

/**
 * What the console's audit log keeps of an erased stream: the target of an entry that acted on it
 * (retrying its parked events names the tenant and the stream) is replaced by {@link #REDACTED};
 * who did what and when stay. Subjects are never named in the audit log.
 */
final class ConsoleErasure implements ErasureParticipant {
  /** What an audit entry's target reads after its stream was erased. */
  static final String REDACTED = "[erased stream]";

  private final ComponentDatabase db;

  ConsoleErasure(ComponentDatabase db) {
    this.db = db;
  }

  @Override
  public String name() {
    return "console";
  }

  @Override
  public long erase(ErasureScope scope, Transaction tx) {
    if (scope.kind() != Erasure.Kind.STREAM) {
      return 0;
    }
    Handle h = tx.unwrap(Handle.class);
    String suffix = " stream " + (scope.tenantId() == null ? "" : scope.tenantId() + "/") + scope.target();
    return h.createUpdate(db.sql("redact_audit_target")).bind("suffix", suffix).bind("redacted", REDACTED).execute();
  }
}
