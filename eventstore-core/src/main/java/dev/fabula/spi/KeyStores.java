package dev.fabula.spi;

import dev.fabula.EventStoreConfig;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.internal.KeyCache;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a backend does with the personal data setting when it opens: call {@link #resolve} once. */
public final class KeyStores {
  private static final Logger LOG = LoggerFactory.getLogger(KeyStores.class);

  private KeyStores() {}

  /**
   * The configuration a backend works with: when some event type has personal fields, the
   * policy's key store (or, when it names none, {@code backendDefault}'s) behind the store's own
   * bounded key cache, after checking the declarations against the registered event classes.
   * Without personal fields, {@code config} itself, and {@code backendDefault} is never called.
   *
   * @throws dev.fabula.InvalidInputException if a declaration names a component its record lacks
   */
  public static EventStoreConfig resolve(EventStoreConfig config, Supplier<KeyStore> backendDefault) {
    PersonalDataPolicy policy = config.personalData();
    if (policy.isEmpty() || policy.keyStore() instanceof KeyCache) {
      return config;
    }
    policy.check(config.eventTypes());
    KeyStore keys = policy.keyStore() != null ? policy.keyStore() : backendDefault.get();
    LOG.info("Personal data: {} event types with personal fields {}, keys in {}, cache of {} keys for {}",
        policy.declarations().size(), policy.declarations().keySet(), keys, policy.keyCacheSize(), policy.keyCacheTtl());
    return config.withPersonalData(policy.withKeyStore(new KeyCache(keys, policy.keyCacheSize(), policy.keyCacheTtl())));
  }
}
