package dev.fabula.internal;

import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamRead;
import dev.fabula.spi.Backend;
import dev.fabula.spi.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Erasure for the in-memory store: a stream is hard-deleted, a subject's keys forgotten, and the
 * record kept in memory with the keyed hash of its target. Nothing else in the process keeps
 * copies, and nothing outlives the process; the tombstone keeps the id in memory, where no API
 * lists it. Thread-safe.
 */
final class InMemoryErasures {
  private final byte[] secret = Erasures.newSecret();
  private final List<ErasureRecord> records = new ArrayList<>();

  ErasureRecord erase(Backend backend, @Nullable String tenant, Erasure erasure) {
    Map<String, Long> counts = new LinkedHashMap<>();
    if (erasure.kind() == Erasure.Kind.STREAM) {
      long events;
      try {
        events = backend.readStream(tenant, erasure.target(), StreamRead.forwards()).size();
      } catch (StreamDeletedException e) {
        events = 0;
      }
      backend.hardDeleteStream(tenant, erasure.target());
      counts.put("events", events);
    } else {
      KeyStore keys = Objects.requireNonNull(backend.config().personalData().keyStore(), "key store");
      counts.put("keys", keys.forget(tenant, erasure.target()) ? 1L : 0L);
    }
    ErasureRecord record = new ErasureRecord(UUID.randomUUID(), tenant, erasure.kind(), hash(tenant, erasure),
        backend.config().clock().instant(), erasure.requestedBy(), counts);
    synchronized (records) {
      records.add(0, record);
    }
    return record;
  }

  List<ErasureRecord> list(@Nullable String tenant, @Nullable Erasure target) {
    String hash = target == null ? null : hash(tenant, target);
    synchronized (records) {
      return records.stream()
          .filter(r -> Objects.equals(r.tenantId(), tenant) && (hash == null || hash.equals(r.targetHash())))
          .toList();
    }
  }

  private String hash(@Nullable String tenant, Erasure erasure) {
    return Erasures.hash(secret, tenant, erasure.kind(), erasure.target());
  }
}
