package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreConfig;
import dev.fabula.internal.KeyCache;
import dev.fabula.spi.KeyStore;
import java.util.Optional;

/**
 * Where a JDBC store keeps its data keys: in its own table ({@code <prefix>personal_data_keys}) or
 * in a key store of the application's (an external KMS). The tenant move asks, since only keys in
 * the table move with a tenant.
 */
public final class KeyStoreKinds {
  private KeyStoreKinds() {}

  /**
   * The external key store that {@code config} (a JDBC store's, as opened) uses; empty when it keeps
   * keys in its database's table, or has no personal data.
   */
  public static Optional<KeyStore> external(EventStoreConfig config) {
    KeyStore keys = config.personalData().keyStore();
    if (config.personalData().isEmpty() || keys == null) {
      return Optional.empty();
    }
    KeyStore inner = keys instanceof KeyCache cache ? cache.delegate() : keys;
    return inner instanceof JdbcKeys ? Optional.empty() : Optional.of(inner);
  }
}
