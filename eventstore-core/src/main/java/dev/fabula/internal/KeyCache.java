package dev.fabula.internal;

import dev.fabula.spi.DataKey;
import dev.fabula.spi.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link KeyStore} in front of another, keeping at most {@code size} keys, least recently used
 * out first, each for at most {@code ttl}. It caches keys found, never their absence: a key id is
 * never reused, so a cached key is right until its subject is forgotten, and {@link #forget} drops
 * the subject's entries here at once (other processes' caches within the ttl). Thread-safe: one
 * lock around the map, never held while the store behind is called.
 */
public final class KeyCache implements KeyStore {
  /** A subject's current key ({@code keyId} null) or one key by id, in a tenant's namespace. */
  private record Slot(@Nullable String tenant, String subject, @Nullable String keyId) {}

  private record Entry(DataKey key, long expiresAt) {}

  /** Set by a key store on this thread when the key it returns may still be rolled back. */
  private static final ThreadLocal<Boolean> UNCOMMITTED = new ThreadLocal<>();

  private final KeyStore delegate;
  private final int size;
  private final long ttlNanos;
  private final LinkedHashMap<Slot, Entry> entries;

  /** Caches {@code delegate}'s keys: at most {@code size}, each for at most {@code ttl}. */
  public KeyCache(KeyStore delegate, int size, Duration ttl) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.size = size;
    this.ttlNanos = ttl.toNanos();
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Slot, Entry> eldest) {
        return size() > KeyCache.this.size;
      }
    };
  }

  /**
   * Tells the cache, from inside a key store's call on this thread, that the key it is about to
   * return was written in a transaction that may still roll back: the cache passes it on without
   * keeping it.
   */
  public static void uncommitted() {
    UNCOMMITTED.set(Boolean.TRUE);
  }

  /** Whether the key store just said its key may still roll back; clears the mark. */
  private static boolean wasUncommitted() {
    boolean marked = UNCOMMITTED.get() != null;
    UNCOMMITTED.remove();
    return marked;
  }

  /** The store behind the cache. */
  public KeyStore delegate() {
    return delegate;
  }

  /** How many keys the cache holds now (at most its size). */
  public synchronized int cached() {
    return entries.size();
  }

  @Override
  public DataKey currentKey(@Nullable String tenant, String subject) {
    Slot slot = new Slot(tenant, subject, null);
    DataKey cached = get(slot);
    if (cached != null) {
      return cached;
    }
    UNCOMMITTED.remove();
    DataKey key = delegate.currentKey(tenant, subject);
    if (wasUncommitted()) {
      return key;
    }
    put(slot, key);
    put(new Slot(tenant, subject, key.id()), key);
    return key;
  }

  @Override
  public Optional<DataKey> findKey(@Nullable String tenant, String subject, String keyId) {
    Slot slot = new Slot(tenant, subject, keyId);
    DataKey cached = get(slot);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<DataKey> key = delegate.findKey(tenant, subject, keyId);
    key.ifPresent(k -> put(slot, k));
    return key;
  }

  @Override
  public DataKey rotate(@Nullable String tenant, String subject) {
    UNCOMMITTED.remove();
    DataKey key = delegate.rotate(tenant, subject);
    if (wasUncommitted()) {
      return key;
    }
    put(new Slot(tenant, subject, null), key);
    put(new Slot(tenant, subject, key.id()), key);
    return key;
  }

  @Override
  public boolean forget(@Nullable String tenant, String subject) {
    evict(tenant, subject);
    boolean forgotten = delegate.forget(tenant, subject);
    // Again: a read racing the delete may have put a key back between the two.
    evict(tenant, subject);
    return forgotten;
  }

  /** Drops the cached keys of one subject (a rolled-back transaction created one). */
  public synchronized void evict(@Nullable String tenant, String subject) {
    entries.keySet().removeIf(s -> s.subject().equals(subject) && Objects.equals(s.tenant(), tenant));
  }

  private synchronized @Nullable DataKey get(Slot slot) {
    Entry e = entries.get(slot);
    if (e == null) {
      return null;
    }
    if (System.nanoTime() - e.expiresAt() > 0) {
      entries.remove(slot);
      return null;
    }
    return e.key();
  }

  private synchronized void put(Slot slot, DataKey key) {
    entries.put(slot, new Entry(key, System.nanoTime() + ttlNanos));
  }

  @Override
  public String toString() {
    return "KeyCache[" + size + " keys, " + Duration.ofNanos(ttlNanos) + ", " + delegate + "]";
  }
}
