package dev.fabula.spi;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the data keys of crypto-shredding live: one AES key per data subject and tenant, in
 * versions. A JDBC store keeps them in a table of its own database by default ({@code
 * <prefix>personal_data_keys}), the in-memory store in memory; set another one (an external KMS)
 * with {@link dev.fabula.PersonalDataPolicy.Builder#keyStore}. The store wraps it in a bounded
 * cache ({@link dev.fabula.PersonalDataPolicy#keyCacheSize()}).
 *
 * <p><b>Contract.</b> Every method is confined to {@code tenant}'s namespace (null: the
 * unconfined store's): a tenant never sees, creates, rotates or deletes another tenant's keys, even
 * for a subject of the same name. {@link #currentKey} called concurrently for a subject without a
 * key creates one key, not several: every caller gets the same one (a unique constraint and a
 * second read, in the table store). A key id is never reused. After {@link #forget} no version of
 * the subject's key can be found again. Implementations are thread-safe and throw only {@link
 * dev.fabula.EventStoreException}s, whose messages never carry key bytes.
 */
public interface KeyStore {

  /**
   * The subject's newest key, created (as version 1) when it has none.
   *
   * @param tenant the tenant, or null for the unconfined store
   * @param subject the data subject's id
   */
  DataKey currentKey(@Nullable String tenant, String subject);

  /** The subject's key with {@code keyId}, or empty when it was forgotten (or never existed). */
  Optional<DataKey> findKey(@Nullable String tenant, String subject, String keyId);

  /** Adds a new version of the subject's key and returns it: new writes use it, old ones still read. */
  DataKey rotate(@Nullable String tenant, String subject);

  /**
   * Deletes every version of the subject's key, for good.
   *
   * @return whether there was a key to delete
   */
  boolean forget(@Nullable String tenant, String subject);
}
