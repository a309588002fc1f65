package dev.fabula.scheduler.internal;

import dev.fabula.Transaction;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.spi.ErasureParticipant;
import dev.fabula.spi.ErasureScope;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What the job tables keep of an erased stream or subject. Jobs do not record which stream or
 * subject they serve, so the rule goes by content, in the erasing tenant's jobs only: a job whose
 * payload, headers or output holds the target's id as a JSON string ({@code "customer-c42"}, exact,
 * so {@code c42} never matches {@code c421}) is deleted with its whole history (runs, with their
 * stack traces), whatever its state; a running one is deleted under its worker, whose result is
 * then dropped as after a lost lease. In the tenant's other jobs and their runs, a last error, run
 * error or output that quotes the id anywhere is replaced by {@link #REDACTED}, and a unique key
 * that holds it is dropped.
 *
 * <p><b>Schedules</b> are of no tenant (the jobs they make too), so only an erasure of the
 * unconfined store searches them; a tenant's erasure never touches a row that is not its own. A
 * schedule whose payload holds the target as a JSON string, or whose name holds it as a whole
 * token ({@code reminder-c42}, never {@code reminder-c421}), is deleted with the jobs it made and
 * their history (which carry its name). Schedules are few: they are matched here, in Java.
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
    if (scope.tenantKey().isEmpty()) {
      n += eraseSchedules(h, scope.target(), quoted);
    }
    return n;
  }

  private long eraseSchedules(Handle h, String target, String quoted) {
    List<String> names = h.createQuery(db.sql("schedule_texts"))
        .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2)))
        .list()
        .stream()
        .filter(row -> holds(row.get(0), target) || row.get(1).contains(quoted))
        .map(row -> row.get(0))
        .toList();
    long n = 0;
    for (String name : names) {
      for (String statement : new String[] {"erase_schedule_runs", "erase_schedule_jobs", "delete_schedule"}) {
        n += h.createUpdate(db.sql(statement)).bind("name", name).execute();
      }
    }
    return n;
  }

  /** Whether {@code text} holds {@code target} as a whole token: not inside a longer word or number. */
  static boolean holds(String text, String target) {
    for (int i = text.indexOf(target); i >= 0; i = text.indexOf(target, i + 1)) {
      int end = i + target.length();
      if ((i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
          && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
        return true;
      }
    }
    return false;
  }
}
