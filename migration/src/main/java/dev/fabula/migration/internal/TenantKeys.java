package dev.fabula.migration.internal;

import dev.fabula.internal.KeyCache;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.internal.KeyStoreKinds;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.MigrationException;
import dev.fabula.migration.ParityCheck;
import dev.fabula.migration.ParityConfig;
import dev.fabula.migration.ParityReport;
import dev.fabula.spi.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * A moving tenant's personal data (crypto-shredding): its data keys and its erasure records.
 *
 * <p>Keys in the source database's table move with the tenant: under the source's fence (which
 * also locks the key table and refuses the tenant's key deletes there, so no subject is forgotten
 * behind the copy's back) the target gets every key the source holds and loses every key the
 * source no longer holds, and the erasure records are copied as they are. Parity then compares, per
 * subject, the key versions, ids and bytes, and the erasure records. After the switch the source's
 * keys of the tenant are deleted, so a subject forgotten in the target is unreadable everywhere.
 *
 * <p>Keys in an external key store (a KMS, {@code PersonalDataPolicy.Builder#keyStore}) do not
 * live in either database: the move carries none, and it requires both databases' stores to use
 * the same key store; otherwise it refuses, naming why.
 */
public final class TenantKeys {
  private static final String KEYS = "personal_data_keys";
  private static final String ERASURES = "erasures";
  private final String tenant;
  private final String from;
  private final String to;
  private final JdbcEventStore source;
  private final ComponentDatabase sourceDb;
  private final JdbcEventStore target;
  private final ComponentDatabase targetDb;

  /** The personal data of {@code tenant}, moving from {@code source} (named {@code from}) to {@code target}. */
  public TenantKeys(String tenant, String from, JdbcEventStore source, ComponentDatabase sourceDb,
      String to, JdbcEventStore target, ComponentDatabase targetDb) {
    this.tenant = tenant;
    this.from = from;
    this.to = to;
    this.source = source;
    this.sourceDb = sourceDb;
    this.target = target;
    this.targetDb = targetDb;
  }

  /**
   * Refuses a move that could not keep the tenant's personal data readable (or forgotten) in the
   * target.
   *
   * @throws MigrationException naming the reason and the fix
   */
  public void check() {
    Optional<KeyStore> sourceKms = KeyStoreKinds.external(source.config());
    Optional<KeyStore> targetKms = KeyStoreKinds.external(target.config());
    if (sourceKms.isPresent()) {
      if (targetKms.isEmpty() || !sameStore(sourceKms.get(), targetKms.get())) {
        throw new MigrationException("database '" + from + "' keeps the data keys of personal data in an external key store ("
            + sourceKms.get().getClass().getName() + "), which the store of database '" + to + "' does not share: keys in "
            + "a KMS do not move with a tenant, so the tenant's personal data would not read in '" + to + "'. Open both "
            + "databases' stores with the same KeyStore instance, then move the tenant");
      }
      return;
    }
    if (keyCount() == 0) {
      return;
    }
    if (target.config().personalData().isEmpty()) {
      throw new MigrationException("tenant '" + tenant + "' has data keys of personal data in database '" + from + "', but the "
          + "store of database '" + to + "' is opened without a personal data policy (EventStoreConfig.withPersonalData): its "
          + "encrypted fields would not read there. Open it with the same policy, then move the tenant");
    }
    if (targetKms.isPresent()) {
      throw new MigrationException("tenant '" + tenant + "' has data keys in the key table of database '" + from + "', but the "
          + "store of database '" + to + "' keeps keys in an external key store (" + targetKms.get().getClass().getName()
          + "), which the move cannot write to: open both stores alike (both with the key table, or the same KeyStore)");
    }
  }

  private static boolean sameStore(KeyStore a, KeyStore b) {
    return a == b || Objects.equals(a, b);
  }

  private boolean keysInTables() {
    return KeyStoreKinds.external(source.config()).isEmpty() && hasTable(sourceDb, KEYS);
  }

  /** Whether {@code db} has the table: a store creates the key and erasure tables once it uses them. */
  private static boolean hasTable(ComponentDatabase db, String table) {
    return db.read("looking for a table", h -> h.createQuery(db.sql("table_exists"))
        .bind("table_name", db.tablePrefix() + table).mapTo(Long.class).one()) > 0;
  }

  private long keyCount() {
    if (!keysInTables()) {
      return 0;
    }
    return sourceDb.read("counting a tenant's data keys", h ->
        (long) h.createQuery(sourceDb.sql("tenant_keys")).bind("tenant_id", tenant).mapToMap().list().size());
  }

  /**
   * Copies the tenant's keys and erasure records to the target, and deletes the target's keys that
   * the source no longer holds, in one transaction of the target; run while the source fences the
   * tenant.
   */
  public void copy() {
    check();
    List<Map<String, Object>> keys = keysInTables()
        ? sourceDb.read("reading a tenant's data keys", h -> h.createQuery(sourceDb.sql("tenant_keys"))
            .bind("tenant_id", tenant).mapToMap().list())
        : List.of();
    List<Map<String, Object>> erasures = hasTable(sourceDb, ERASURES)
        ? sourceDb.read("reading a tenant's erasure records", h -> h.createQuery(sourceDb.sql("tenant_erasures"))
            .bind("tenant_id", tenant).mapToMap().list())
        : List.of();
    boolean targetKeys = hasTable(targetDb, KEYS);
    if (!keys.isEmpty() && !targetKeys) {
      throw new MigrationException("database '" + to + "' has no data key table (" + targetDb.tablePrefix() + KEYS + ") for "
          + "the keys of tenant '" + tenant + "': run JdbcEventStore.migrate on it, then move the tenant");
    }
    if (!erasures.isEmpty() && !hasTable(targetDb, ERASURES)) {
      // The target's store creates its erasure tables on first use (or says how to migrate them).
      target.forTenant(tenant).erasures();
    }
    targetDb.write("copying a tenant's data keys and erasure records", h -> {
      TenantFences.bypass(targetDb, h, tenant);
      for (Map<String, Object> key : keys) {
        var insert = h.createUpdate(targetDb.sql("tenant_key_insert"));
        key.forEach(insert::bind);
        insert.execute();
      }
      if (keysInTables() && targetKeys) {
        var prune = h.createUpdate(targetDb.sql("tenant_keys_prune")).bind("tenant_id", tenant);
        targetDb.bindStrings(prune, "key_ids", keys.stream().map(k -> (String) k.get("key_id")).toList());
        prune.execute();
      }
      for (Map<String, Object> record : erasures) {
        var insert = h.createUpdate(targetDb.sql("tenant_erasure_insert"));
        record.forEach(insert::bind);
        insert.execute();
      }
      return null;
    });
  }

  /** Compares the tenant's keys and erasure records in both databases. */
  public ParityReport parity() {
    return ParityCheck.between(source.jdbi(), target.jdbi(), ParityConfig.DEFAULT
            .withKeyColumns("item").withSumColumns("versions").withTolerance(0))
        .compare(paritySql(sourceDb), paritySql(targetDb), Map.of("tenant_id", tenant));
  }

  /** The parity query for the tables {@code db} has: the keys' part, the erasures' part, or both. */
  private static String paritySql(ComponentDatabase db) {
    List<String> parts = new java.util.ArrayList<>();
    if (hasTable(db, KEYS)) {
      parts.add(db.sql("tenant_key_parity_keys"));
    }
    if (hasTable(db, ERASURES)) {
      parts.add(db.sql("tenant_key_parity_erasures"));
    }
    return parts.isEmpty() ? db.sql("tenant_key_parity_none") : String.join("\nUNION ALL\n", parts);
  }

  /** After the switch: deletes the tenant's keys from the source, through its fence. */
  public void dropFromSource() {
    drop(source, sourceDb, tenant);
  }

  /**
   * Deletes {@code tenant}'s data keys from a database it does not live in (the source after a
   * switch, the target of an abandoned move), through the tenant's fence there, so that no copy of a
   * key outlives a forget in the database the tenant lives in. The next move copies them again.
   */
  public static void drop(JdbcEventStore store, ComponentDatabase db, String tenant) {
    if (!hasTable(db, KEYS)) {
      return;
    }
    List<String> subjects = db.write("deleting the data keys of a tenant that does not live here", h -> {
      TenantFences.bypass(db, h, tenant);
      List<String> deleted = h.createQuery(db.sql("tenant_keys")).bind("tenant_id", tenant)
          .map((rs, ctx) -> rs.getString("subject_id")).list();
      h.createUpdate(db.sql("tenant_keys_delete")).bind("tenant_id", tenant).execute();
      return deleted;
    });
    // This process's cache of the database's keys forgets them now; other processes' caches within
    // their time to live, as after any forget.
    if (store.config().personalData().keyStore() instanceof KeyCache cache) {
      subjects.forEach(subject -> cache.evict(tenant, subject));
    }
  }

  /**
   * The store that the copy appends to the target through: the target itself, or, when the target
   * seals personal fields, a second store on the target's pool without the personal data policy,
   * so that events arrive as stored (their envelopes would otherwise be sealed again, under a new
   * key). Close it with {@link #closeWriter}.
   */
  public JdbcEventStore openWriter() {
    if (target.config().personalData().isEmpty()) {
      return target;
    }
    javax.sql.DataSource pool = target.ownedPool().orElseThrow(() -> new MigrationException("the store of database '" + to
        + "' seals personal data and runs on a DataSource of the caller's: the move copies sealed events as stored through "
        + "a second store on the same pool, so open the store with a JDBC URL (JdbcEventStore.open(url, ...)) to move "
        + "tenants into it"));
    return JdbcEventStore.open(pool, target.config().withPersonalData(dev.fabula.PersonalDataPolicy.NONE),
        target.jdbcConfig().withMigrateOnOpen(false));
  }

  /** Closes a store of {@link #openWriter}, unless it is the target itself. */
  public void closeWriter(JdbcEventStore writer) {
    if (writer != target) {
      writer.close();
    }
  }

  /** Fences the tenant's key deletes in {@code db} within a fence's transaction (see {@link TenantFences#fence}). */
  static void fenceKeys(ComponentDatabase db, Handle h) {
    boolean keyTable = h.createQuery(db.sql("table_exists")).bind("table_name", db.tablePrefix() + "personal_data_keys")
        .mapTo(Long.class).one() > 0;
    if (!keyTable) {
      return; // no store of this database keeps keys: nothing to forget here
    }
    h.execute(db.sql("tenant_fence_lock_keys"));
    if (h.createQuery(db.sql("tenant_fence_key_trigger_count")).mapTo(Long.class).one() == 0) {
      h.execute(db.sql("tenant_fence_key_trigger_create"));
    }
  }
}
