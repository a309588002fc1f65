package dev.fabula.migration.internal;

import dev.fabula.jdbc.spi.ComponentDatabase;
import java.time.Duration;
import org.jdbi.v3.core.Handle;

/**
 * Sets and lifts tenant fences in one database (the table and trigger of {@code
 * V3__tenant_fences.sql}).
 *
 * <p>Setting a fence is one transaction that first locks the streams table against writers
 * ({@code tenant_fence_lock}): it waits for every write in flight to end and keeps new ones out
 * until it commits, so every write of the tenant that commits after the fence has met it. The
 * trigger is attached in the same transaction by the first fence of the database. The same
 * transaction locks the data key table ({@code personal_data_keys}) likewise, and attaches a trigger
 * that refuses the tenant's key deletes (forgetting a subject) while it is fenced.
 */
public final class TenantFences {
  /** A fence of a tenant leaving (or gone from) a database. */
  public static final String OUT = "out";
  /** A fence of a tenant being copied into a database. */
  public static final String IN = "in";

  private TenantFences() {}

  /** Fences {@code tenant}'s writes in {@code db}, waiting at most {@code timeout} for writes in flight. */
  public static void fence(ComponentDatabase db, String tenant, String kind, String otherDatabase, Duration timeout) {
    db.write("fencing a tenant's writes", h -> {
      h.createQuery(db.sql("tenant_fence_lock_timeout")).bind("timeout", timeout.toMillis() + "ms").mapTo(String.class).one();
      // The key table first, as a unit of work's append locks it (creating a key) before the streams.
      TenantKeys.fenceKeys(db, h);
      h.execute(db.sql("tenant_fence_lock"));
      h.createUpdate(db.sql("tenant_fence_set"))
          .bind("tenant_id", tenant).bind("kind", kind).bind("database", otherDatabase).execute();
      if (h.createQuery(db.sql("tenant_fence_trigger_count")).mapTo(Long.class).one() == 0) {
        h.execute(db.sql("tenant_fence_trigger_create"));
      }
      return null;
    });
  }

  /** Lifts {@code tenant}'s fence of {@code kind} in {@code db}, if it has one. */
  public static void lift(ComponentDatabase db, String tenant, String kind) {
    db.write("lifting a tenant's fence", h ->
        h.createUpdate(db.sql("tenant_fence_delete")).bind("tenant_id", tenant).bind("kind", kind).execute());
  }

  /** Lets the transaction of {@code h} write for {@code tenant} through its fence of kind {@code in}. */
  public static void bypass(ComponentDatabase db, Handle h, String tenant) {
    h.createQuery(db.sql("tenant_fence_bypass")).bind("tenant_id", tenant).mapTo(String.class).one();
  }
}
