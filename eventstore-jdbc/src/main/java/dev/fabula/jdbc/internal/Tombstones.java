package dev.fabula.jdbc.internal;

import dev.fabula.internal.Erasures;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The tombstones of erased streams, which keep a keyed hash of the stream's id ({@link
 * Erasures#tombstoneId}) instead of the id, in the streams table under the tenant's namespace.
 * Every check of a stream row that finds none asks here whether the stream was erased: so reads,
 * {@code streamInfo}, soft and hard deletes and appends creating the stream all see it as deleted.
 *
 * <p>The store's erasure secret (table {@code <prefix>erasure_secret}, component {@code erasure})
 * is read once it exists and cached for good: it never changes. Until the first erasure creates it,
 * each check reads it (one indexed row, only for streams without a row). A store whose erasure
 * component is not migrated has no erased streams. Thread-safe.
 */
final class Tombstones {
  private volatile boolean installed;
  private volatile byte @Nullable [] secret;

  /** Marks the erasure component's tables present (checked at open, or migrated since). */
  void installed() {
    installed = true;
  }

  /** Whether the erasure component's tables are present. */
  boolean isInstalled() {
    return installed;
  }

  /** Whether {@code streamId}, which has no row in {@code tenant}'s namespace, was erased. */
  boolean erased(Handle h, StoreContext store, @Nullable String tenant, String streamId) {
    if (!installed) {
      return false;
    }
    byte[] s = secret(h, store);
    return s != null && store.streamRow(h, tenant, Erasures.tombstoneId(s, tenant, streamId)).isPresent();
  }

  /** The secret, or null before the first erasure. */
  byte @Nullable [] secret(Handle h, StoreContext store) {
    byte[] s = secret;
    if (s == null) {
      // On SQLite through a statement kept per connection: a store that never erased runs this on
      // every append that creates a stream, and preparing it cost as much as the append's statements.
      Optional<byte[]> stored = SqliteAppends.isSqlite(h)
          ? Optional.ofNullable(SqliteAppends.firstBytes(h, store.sql().get("erasure_secret")))
          : h.createQuery(store.sql().get("erasure_secret")).mapTo(byte[].class).findOne();
      if (stored.isPresent()) {
        secret = s = stored.get();
      }
    }
    return s;
  }

  /** The secret, created in {@code h}'s transaction if there is none yet. */
  byte[] secretOrCreate(Handle h, StoreContext store, Instant now) {
    byte[] s = secret(h, store);
    if (s != null) {
      return s;
    }
    h.createUpdate(store.sql().get("insert_erasure_secret"))
        .bind("secret", Erasures.newSecret())
        .bind("created_at", store.dialect().timestamp(now))
        .execute();
    // A later read in this transaction may cache it: a rollback must not leave a secret in use that
    // is not stored.
    h.afterRollback(() -> secret = null);
    return h.createQuery(store.sql().get("erasure_secret")).mapTo(byte[].class).one();
  }
}
