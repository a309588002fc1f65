package dev.fabula.scheduler.internal;

import dev.fabula.Transaction;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.spi.ErasureParticipant;
import dev.fabula.spi.ErasureScope;
import org.jdbi.v3.core.Handle;

/**
 * What the job tables keep of an erased stream or subject. Jobs do not record which stream or
 * subject they serve, so the rule goes by content, in the erasing tenant's jobs only: a job whose
 * payload, headers or output holds the target's id as a JSON string ({@code "customer-c42"}, exact,
 * so {@code c42} never matches {@code c421}) is deleted with its whole history (runs, with their
 * stack traces), whatever its state; a running one is deleted under its worker, whose result is
 * then dropped as after a lost lease. In the tenant's other jobs and their runs, a last error, run
 * error or output that quotes the id anywhere is replaced by {@link #REDACTED}, and a unique key
 * that holds it is dropped. Schedules have no tenant and are not searched: keep personal data out
 * of schedule payloads.
 */
final class SchedulerErasure implements ErasureParticipant {
  /** What an error reads after the id it quoted was erased. */
  static final String REDACTED = "[erased]";

  private final ComponentDatabase db;

  SchedulerErasure(ComponentDatabase db) {
    this.db = db;
  }

  @Override
  public String name() {
    return "scheduler";
  }

  @Override
  public long erase(ErasureScope scope, Transaction tx) {
    Handle h = tx.unwrap(Handle.class);
    String quoted = ComponentDatabase.json(scope.target());
    long n = 0;
    for (String statement : new String[] {"erase_job_runs", "erase_jobs"}) {
      n += h.createUpdate(db.sql(statement)).bind("tenant_id", scope.tenantKey()).bind("quoted", quoted).execute();
    }
    for (String statement : new String[] {"redact_job_texts", "redact_run_texts"}) {
      n += h.createUpdate(db.sql(statement))
          .bind("tenant_id", scope.tenantKey())
          .bind("target", scope.target())
          .bind("redacted", REDACTED)
          .execute();
    }
    return n;
  }
}
