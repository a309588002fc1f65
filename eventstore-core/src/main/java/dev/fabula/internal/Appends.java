package dev.fabula.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.Metadata;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.SerializationException;
import dev.fabula.StreamAppend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Validation, serialisation and idempotency rules of appends, shared by every backend. */
public final class Appends {
  private Appends() {}

  /**
   * Validates and serialises appends; nothing touches the database before this succeeded.
   *
   * @param tenant the tenant of the view appending, or null for the unconfined store
   */
  public static List<PreparedAppend> prepare(
      EventStoreConfig config, @Nullable String tenant, List<StreamAppend> appends) {
    if (appends == null || appends.isEmpty()) {
      throw new InvalidInputException("nothing to append: pass at least one stream append");
    }
    Set<String> streams = new HashSet<>();
    Set<UUID> ids = new HashSet<>();
    List<PreparedAppend> prepared = new ArrayList<>(appends.size());
    for (StreamAppend append : appends) {
      if (append == null) {
        throw new InvalidInputException("stream append must not be null");
      }
      String streamId = Validation.streamId(append.streamId());
      if (!streams.add(streamId)) {
        throw new InvalidInputException(
            "stream '" + streamId + "' appears twice in one appendAll; merge its events into one StreamAppend");
      }
      if (append.expected() == null) {
        throw new InvalidInputException("expected version of stream '" + streamId + "' must not be null; use ExpectedVersion.any()");
      }
      List<EventData> events = append.events();
      if (events.isEmpty()) {
        throw new InvalidInputException("empty batch for stream '" + streamId + "': pass at least one event");
      }
      if (events.size() > Validation.MAX_BATCH) {
        throw new InvalidInputException(
            events.size() + " events for stream '" + streamId + "' in one append; the limit is " + Validation.MAX_BATCH);
      }
      List<PreparedEvent> out = new ArrayList<>(events.size());
      for (EventData event : events) {
        if (event == null) {
          throw new InvalidInputException("event must not be null (stream '" + streamId + "')");
        }
        if (!ids.add(event.eventId())) {
          throw new InvalidInputException("event id " + event.eventId() + " appears twice in one append; every event needs its own id");
        }
        out.add(prepare(config, tenant, event));
      }
      prepared.add(new PreparedAppend(streamId, append.expected(), List.copyOf(out)));
    }
    return prepared;
  }

  private static PreparedEvent prepare(EventStoreConfig config, @Nullable String tenant, EventData event) {
    RawEvent raw = config.eventTypes().encode(event.payload());
    Validation.typeName(raw.type());
    if (raw.schemaVersion() < 1) {
      throw new InvalidInputException("schema version of " + raw.type() + " must be 1 or more but was " + raw.schemaVersion());
    }
    if (raw.payload() == null) {
      throw new InvalidInputException("payload of " + raw.type() + " must be a JSON object, not null");
    }
    ObjectMapper mapper = config.eventTypes().mapper();
    String payloadJson = write(mapper, raw.payload(), raw.type());
    Validation.json("payload of event " + raw.type(), payloadJson, config.maxPayloadBytes());
    Metadata metadata = event.metadata();
    if (metadata.tenantId() != null && !metadata.tenantId().equals(tenant)) {
      throw new InvalidInputException(
          "metadata tenant '" + metadata.tenantId() + "' differs from the store's tenant '" + tenant
              + "'; leave it empty: store.forTenant(id) stamps the tenant");
    }
    Validation.metadataValue("correlationId", metadata.correlationId());
    Validation.metadataValue("causationId", metadata.causationId());
    Validation.metadataValue("actor", metadata.actor());
    for (Map.Entry<String, String> e : metadata.entries().entrySet()) {
      Validation.metadataValue("entry key", e.getKey());
      Validation.metadataValue("entry '" + e.getKey() + "'", e.getValue());
    }
    String entriesJson = metadata.entries().isEmpty() ? "{}" : write(mapper, metadata.entries(), raw.type());
    Validation.json("metadata of event " + raw.type(), entriesJson, 64 * 1024);
    return new PreparedEvent(
        event.eventId(), raw.type(), raw.schemaVersion(), raw.payload(), payloadJson, metadata, entriesJson);
  }

  private static String write(ObjectMapper mapper, Object value, String type) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot serialise event " + type + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Decides what a repeated append means, given the stored events that carry some of its ids.
   *
   * @return the first append's result when every event is stored exactly as attempted
   * @throws EventIdConflictException otherwise
   */
  public static AppendResult replayed(PreparedAppend attempt, List<RecordedEvent> stored) {
    Map<UUID, RecordedEvent> byId = new HashMap<>();
    stored.forEach(e -> byId.put(e.eventId(), e));
    RecordedEvent first = null;
    RecordedEvent last = null;
    for (PreparedEvent event : attempt.events()) {
      RecordedEvent s = byId.get(event.eventId());
      if (s == null) {
        UUID storedId = stored.get(0).eventId();
        throw new EventIdConflictException(
            storedId, "but event " + event.eventId() + " of the same batch was not: the batch differs from the stored one");
      }
      if (!s.streamId().equals(attempt.streamId())) {
        throw new EventIdConflictException(event.eventId(), "to stream '" + s.streamId() + "', not '" + attempt.streamId() + "'");
      }
      if (!s.type().equals(event.type()) || s.schemaVersion() != event.schemaVersion() || !s.payload().equals(event.payload())) {
        throw new EventIdConflictException(
            event.eventId(), "with different content (stored type " + s.type() + " v" + s.schemaVersion() + ")");
      }
      if (last != null && s.streamVersion() != last.streamVersion() + 1) {
        throw new EventIdConflictException(event.eventId(), "in a different order or batch");
      }
      if (first == null) {
        first = s;
      }
      last = s;
    }
    return new AppendResult(
        attempt.streamId(), first.streamVersion(), last.streamVersion(), first.position(), last.position());
  }

  /** Whether a stream at {@code version} (-1: absent) satisfies {@code expected}. */
  public static boolean satisfies(ExpectedVersion expected, long version) {
    if (expected instanceof ExpectedVersion.Exactly exactly) {
      return exactly.version() == Math.max(version, 0);
    }
    if (expected instanceof ExpectedVersion.NoStream) {
      return version <= 0;
    }
    return !(expected instanceof ExpectedVersion.StreamExists) || version > 0;
  }
}
