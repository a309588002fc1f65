package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.internal.KeyCache;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.spi.DataKey;
import dev.fabula.spi.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC store's own {@link KeyStore}: the table {@code <prefix>personal_data_keys} in the
 * store's database (component {@code personal_data}, {@code dev/fabula/personaldata/<dialect>/}),
 * migrated with the store's tables.
 *
 * <p><b>Creating a key.</b> Read the newest version; when there is none (or on rotation), insert the
 * next one with {@code ON CONFLICT DO NOTHING} and read again: of racing writers one row wins and
 * every writer uses it. <b>Inside a unit of work</b> (an append through a {@code Transaction}), the
 * key is created on the transaction's own connection ({@link #joining}): on SQLite a second
 * transaction would wait for this one, and it keeps key and events together (a rollback removes
 * both; the cache is told to drop the key then, see {@link #onRollback}). In a transaction the
 * store joins (Spring's) on PostgreSQL, on a connection of its own that commits at once: that
 * rollback is never heard of. Elsewhere, in a store transaction of its own. Thread-safe.
 *
 * On SQLite in a joined transaction the key is created in it (a second writer would wait for it)
 * and kept out of the cache ({@link KeyCache#uncommitted}).
 */
final class JdbcKeys implements KeyStore {
  /** The component: its name in the schema version table, its SQL, its migrations. */
  static final Component COMPONENT =
      new Component("personal_data", JdbcKeys.class, "dev/fabula/personaldata", List.of("V1__personal_data_keys.sql"));

  /** The store transaction open on this thread, if an append of a unit of work is preparing its events. */
  private static final ThreadLocal<@Nullable Handle> JOINED = new ThreadLocal<>();

  private final Jdbi jdbi;
  /** Whether this thread is in a transaction someone else owns (Spring's), which store work joins. */
  private final java.util.function.BooleanSupplier joining;
  private final boolean singleWriter;
  private volatile boolean chosen;
  private volatile @Nullable ComponentDb db;
  private volatile BiConsumer<@Nullable String, String> rolledBack = (t, s) -> {};
  /** Sets the tenant of a transaction of this key store's own, for row-level security; nothing when it is off. */
  private volatile BiConsumer<Handle, @Nullable String> tenantSetting = (h, t) -> {};

  JdbcKeys(Jdbi jdbi, java.util.function.BooleanSupplier joining, boolean singleWriter) {
    this.jdbi = jdbi;
    this.joining = joining;
    this.singleWriter = singleWriter;
  }

  /** This key store, as the backend's default ({@link dev.fabula.spi.KeyStores#resolve}): {@link #attach} then binds it. */
  KeyStore chosen() {
    chosen = true;
    return this;
  }

  /**
   * Once the backend is open: if {@code config} uses this key store, binds its table and tells the
   * config's key cache of each subject whose key creation a rolled-back transaction undid.
   */
  void attach(JdbcBackend backend, EventStoreConfig config) {
    if (!chosen) {
      return;
    }
    this.db = ComponentDb.open(backend, COMPONENT);
    if (backend.jdbcConfig().rowLevelSecurity()) {
      String setTenant = backend.statements().get("set_tenant");
      this.tenantSetting = (h, t) -> h.createQuery(setTenant).bind("tenant_id", Dialect.tenantKey(t)).mapTo(String.class).one();
    }
    if (config.personalData().keyStore() instanceof KeyCache cache) {
      this.rolledBack = cache::evict;
    }
  }

  /** Runs {@code work} (preparing a unit of work's append) with keys created on {@code handle}. */
  static <T> T joining(Handle handle, Supplier<T> work) {
    Handle outer = JOINED.get();
    JOINED.set(handle);
    try {
      return work.get();
    } finally {
      JOINED.set(outer);
    }
  }

  @Override
  public DataKey currentKey(@Nullable String tenant, String subject) {
    return write(tenant, "creating the data key of a subject", h -> {
      Optional<DataKey> current = current(h, tenant, subject);
      if (current.isPresent()) {
        return current.get();
      }
      insert(h, tenant, subject, DataKey.generate(1));
      return current(h, tenant, subject).orElseThrow(() -> gone());
    }, tenant, subject);
  }

  @Override
  public Optional<DataKey> findKey(@Nullable String tenant, String subject, String keyId) {
    return db().read(tenant, "reading a data key", h -> h.createQuery(db().sql("find_key"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("subject_id", subject)
        .bind("key_id", keyId)
        .map((rs, ctx) -> new DataKey(rs.getString(2), rs.getInt(1), rs.getBytes(3)))
        .findOne());
  }

  @Override
  public DataKey rotate(@Nullable String tenant, String subject) {
    return write(tenant, "rotating the data key of a subject", h -> {
      int next = current(h, tenant, subject).map(DataKey::version).orElse(0) + 1;
      insert(h, tenant, subject, DataKey.generate(next));
      return current(h, tenant, subject).orElseThrow(() -> gone());
    }, tenant, subject);
  }

  @Override
  public boolean forget(@Nullable String tenant, String subject) {
    return db().write(tenant, "forgetting a data subject", h -> h.createUpdate(db().sql("forget_subject"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("subject_id", subject)
        .execute()) > 0;
  }

  private <T> T write(@Nullable String tenant, String action, Function<Handle, T> work, @Nullable String t, String subject) {
    Handle joined = JOINED.get();
    if (joined != null && joined.getJdbi() == jdbi) {
      joined.afterRollback(() -> rolledBack.accept(t, subject));
      try {
        return work.apply(joined);
      } catch (RuntimeException e) {
        throw db().translate(e, action);
      }
    }
    if (!singleWriter && joining.getAsBoolean()) {
      // In someone else's transaction (Spring's), whose rollback this store never hears of: the key
      // commits on its own connection, so a rollback there cannot leave a cached key that is not
      // stored. A key without events is harmless.
      try {
        return jdbi.inTransaction(h -> {
          tenantSetting.accept(h, tenant); // the policies see this transaction's tenant, as a unit of work's
          return work.apply(h);
        });
      } catch (RuntimeException e) {
        throw db().translate(e, action);
      }
    }
    if (singleWriter && joining.getAsBoolean()) {
      // SQLite in someone else's transaction: a second writer would wait for it, so the key is
      // created in it, and kept out of the cache (its rollback would leave a key that is not stored).
      KeyCache.uncommitted();
    }
    return db().write(tenant, action, work::apply);
  }

  private Optional<DataKey> current(Handle h, @Nullable String tenant, String subject) {
    return h.createQuery(db().sql("current_key"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("subject_id", subject)
        .map((rs, ctx) -> new DataKey(rs.getString(2), rs.getInt(1), rs.getBytes(3)))
        .findOne();
  }

  private void insert(Handle h, @Nullable String tenant, String subject, DataKey key) {
    h.createUpdate(db().sql("insert_key"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("subject_id", subject)
        .bind("version", key.version())
        .bind("key_id", key.id())
        .bind("key_bytes", key.material())
        .bind("created_at", db().time(java.time.Instant.now()))
        .execute();
  }

  private static EventStoreException gone() {
    return new EventStoreException("a data key was created but cannot be read back; is another process forgetting "
        + "the same subject right now? Append again");
  }

  private ComponentDb db() {
    ComponentDb d = db;
    if (d == null) {
      throw new EventStoreException("the personal data key table is not open yet");
    }
    return d;
  }

  @Override
  public String toString() {
    ComponentDb d = db;
    return d == null ? "JdbcKeyStore" : "JdbcKeyStore[" + d.dialectName() + ", " + d.qualifiedPrefix() + "personal_data_keys]";
  }
}
