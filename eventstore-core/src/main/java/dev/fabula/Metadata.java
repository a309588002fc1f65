package dev.fabula;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What an event carries besides its payload: who caused it and why.
 *
 * @param correlationId groups every event caused by one request or workflow
 * @param causationId the id of the command or event that caused this one
 * @param tenantId the tenant that owns the event's stream; stamped by a tenant-confined store
 * @param actor who did it (a user, a service, a job)
 * @param entries free-form string entries (a sorted, immutable copy)
 */
public record Metadata(
    @Nullable String correlationId,
    @Nullable String causationId,
    @Nullable String tenantId,
    @Nullable String actor,
    Map<String, String> entries) {

  /** Metadata with nothing in it. */
  public static final Metadata EMPTY = new Metadata(null, null, null, null, Map.of());

  /** Copies the entries into an immutable, sorted map. */
  public Metadata {
    entries = entries == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  /** Returns a copy with the correlation id set. */
  public Metadata withCorrelationId(@Nullable String value) {
    return new Metadata(value, causationId, tenantId, actor, entries);
  }

  /** Returns a copy with the causation id set. */
  public Metadata withCausationId(@Nullable String value) {
    return new Metadata(correlationId, value, tenantId, actor, entries);
  }

  /** Returns a copy with the tenant id set. */
  public Metadata withTenantId(@Nullable String value) {
    return new Metadata(correlationId, causationId, value, actor, entries);
  }

  /** Returns a copy with the actor set. */
  public Metadata withActor(@Nullable String value) {
    return new Metadata(correlationId, causationId, tenantId, value, entries);
  }

  /** Returns a copy with one free-form entry added or replaced. */
  public Metadata with(String key, String value) {
    Map<String, String> copy = new TreeMap<>(entries);
    copy.put(key, value);
    return new Metadata(correlationId, causationId, tenantId, actor, copy);
  }
}
