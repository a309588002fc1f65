package dev.fabula.migration.internal;

import dev.fabula.Transaction;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.spi.ErasureParticipant;
import dev.fabula.spi.ErasureScope;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What the migration toolkit's tables keep of an erased id: captured changes whose old or new row
 * holds it (as a JSON string, or as a JSON number when the id is one), and import failures keyed by
 * it or whose reason quotes it, are deleted. These tables mirror the legacy database, which has no
 * tenants: only an erasure through the unconfined store searches them, so that one tenant never
 * erases what another tenant's legacy rows hold; a tenant's erasure leaves them (erase the same id
 * through the unconfined store while the migration's tables are kept).
 */
final class MigrationErasure implements ErasureParticipant {
  private final ComponentDatabase db;

  MigrationErasure(ComponentDatabase db) {
    this.db = db;
  }

  @Override
  public String name() {
    return "migration";
  }

  @Override
  public long erase(ErasureScope scope, Transaction tx) {
    if (scope.tenantId() != null) {
      return 0;
    }
    Handle h = tx.unwrap(Handle.class);
    long n = 0;
    for (String needle : needles(scope.target())) {
      n += h.createUpdate(db.sql("erase_captured_changes")).bind("needle", needle).execute();
    }
    n += h.createUpdate(db.sql("erase_import_failures")).bind("target", scope.target()).execute();
    return n;
  }

  /** The id as a JSON string; a number also as a member value, as JSON text and jsonb print it. */
  static List<String> needles(String target) {
    List<String> needles = new ArrayList<>(List.of(ComponentDatabase.json(target)));
    if (target.matches("-?[0-9]{1,18}")) {
      for (String sep : new String[] {":", ": "}) {
        for (String end : new String[] {",", "}"}) {
          needles.add(sep + target + end);
        }
      }
    }
    return needles;
  }
}
