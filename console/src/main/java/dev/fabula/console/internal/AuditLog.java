package dev.fabula.console.internal;

import dev.fabula.console.AuditEntry;
import dev.fabula.console.ConsoleAction;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The console's audit table ({@code <prefix>console_audit}): one row per action taken. */
final class AuditLog {
  /** The console's component of the store's database. */
  static final Component COMPONENT =
      new Component("console", AuditLog.class, "dev/fabula/console", List.of("V1__console.sql"));

  private final ComponentDatabase db;

  AuditLog(JdbcEventStore store) {
    this.db = ComponentDatabase.open(store, COMPONENT);
  }

  /** Records an action and returns it with its id. */
  AuditEntry record(String user, ConsoleAction action, String target, @Nullable String tenant, String outcome) {
    Instant at = Instant.now();
    long id = db.write("recording a console action", h -> h.createQuery(db.sql("insert_audit"))
        .bind("at", db.time(at))
        .bind("actor", user)
        .bind("action", action.name())
        .bind("target", clip(target, 500))
        .bind("tenant_id", tenant == null ? "" : tenant)
        .bind("outcome", clip(outcome, 1000))
        .mapTo(Long.class)
        .one());
    return new AuditEntry(id, Instant.ofEpochSecond(at.getEpochSecond(), at.getNano() / 1000 * 1000), user, action,
        clip(target, 500), tenant, clip(outcome, 1000));
  }

  /** Entries below {@code beforeId} (0: from the newest), newest first; only {@code tenant}'s when set. */
  List<AuditEntry> page(long beforeId, int limit, @Nullable String tenant) {
    return db.readOnly("reading the console audit", h -> h.createQuery(db.sql("select_audit"))
        .bind("before_id", beforeId <= 0 ? Long.MAX_VALUE : beforeId)
        .bind("tenant_id", tenant == null ? "" : tenant)
        .bind("any_tenant", tenant == null)
        .bind("limit", limit)
        .map((rs, c) -> {
          String t = rs.getString("tenant_id");
          return new AuditEntry(rs.getLong("id"), db.readTime(rs, "at"), rs.getString("actor"),
              ConsoleAction.valueOf(rs.getString("action")), rs.getString("target"), t.isEmpty() ? null : t,
              rs.getString("outcome"));
        })
        .list());
  }

  private static String clip(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max - 1) + "…";
  }
}
