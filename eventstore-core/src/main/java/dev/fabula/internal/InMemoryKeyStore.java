package dev.fabula.internal;

import dev.fabula.spi.DataKey;
import dev.fabula.spi.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The in-memory store's data keys: a map in this process, lost with it. Thread-safe. */
public final class InMemoryKeyStore implements KeyStore {
  private record Subject(@Nullable String tenant, String subject) {}

  /** Every subject's keys, oldest version first. */
  private final Map<Subject, List<DataKey>> keys = new HashMap<>();

  @Override
  public synchronized DataKey currentKey(@Nullable String tenant, String subject) {
    List<DataKey> versions = keys.computeIfAbsent(new Subject(tenant, subject), s -> new ArrayList<>());
    if (versions.isEmpty()) {
      versions.add(DataKey.generate(1));
    }
    return versions.get(versions.size() - 1);
  }

  @Override
  public synchronized Optional<DataKey> findKey(@Nullable String tenant, String subject, String keyId) {
    return keys.getOrDefault(new Subject(tenant, subject), List.of()).stream().filter(k -> k.id().equals(keyId)).findFirst();
  }

  @Override
  public synchronized DataKey rotate(@Nullable String tenant, String subject) {
    List<DataKey> versions = keys.computeIfAbsent(new Subject(tenant, subject), s -> new ArrayList<>());
    DataKey next = DataKey.generate(versions.size() + 1);
    versions.add(next);
    return next;
  }

  @Override
  public synchronized boolean forget(@Nullable String tenant, String subject) {
    return keys.remove(new Subject(tenant, subject)) != null;
  }

  /** How many key versions the subject has (for tests). */
  public synchronized int versions(@Nullable String tenant, String subject) {
    return keys.getOrDefault(new Subject(tenant, subject), List.of()).size();
  }

  @Override
  public String toString() {
    return "InMemoryKeyStore";
  }
}
