package dev.fabula.spi;

import dev.fabula.internal.JsonNumbers;
import dev.fabula.internal.PersonalDataCipher;
import dev.fabula.internal.Validation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.InvalidInputException;
import dev.fabula.Metadata;
import dev.fabula.RawEvent;
import dev.fabula.SerializationException;
import dev.fabula.StreamAppend;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Validation and serialisation of appends, shared by every backend: call {@link #prepare} before touching storage. */
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
    String what = "payload of event " + raw.type();
    ObjectNode payload = JsonNumbers.canonical(what, raw.payload(), mapper);
    Metadata metadata = config.metadataEnricher() == MetadataEnricher.NONE
        ? event.metadata()
        : enriched(config.metadataEnricher(), event.metadata());
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
    Validation.json("metadata entries of event " + raw.type(), entriesJson, Validation.MAX_METADATA_ENTRIES_BYTES);
    if (!config.personalData().isEmpty()) {
      // Last, once the event is otherwise valid: personal fields leave here encrypted (see PersonalDataCipher).
      payload = PersonalDataCipher.seal(config.personalData(), mapper, tenant, raw.type(), payload);
    }
    String payloadJson = write(mapper, payload, raw.type());
    Validation.json(what, payloadJson, config.maxPayloadBytes());
    return new PreparedEvent(
        event.eventId(), raw.type(), raw.schemaVersion(), payload, payloadJson, metadata, entriesJson);
  }

  private static Metadata enriched(MetadataEnricher enricher, Metadata metadata) {
    Metadata result = enricher.enrich(metadata);
    if (result == null) {
      throw new InvalidInputException("metadata enricher " + enricher.getClass().getName() + " returned null; return the metadata it was given");
    }
    return result;
  }

  /**
   * The writer of the mapper used last (null before the first): a store has one mapper, and a
   * writer costs more to make than to use.
   */
  private static volatile @Nullable PlainWriter lastWriter;

  /** A mapper and its writer of plain decimals. */
  private record PlainWriter(ObjectMapper mapper, ObjectWriter writer) {}

  private static ObjectWriter plainWriter(ObjectMapper mapper) {
    PlainWriter last = lastWriter;
    if (last == null || last.mapper() != mapper) {
      // Plain decimals, as PostgreSQL's numeric prints them: 0.0000001, never 1E-7 (see JsonNumbers).
      last = new PlainWriter(mapper, mapper.writer().with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN));
      lastWriter = last;
    }
    return last.writer();
  }

  private static String write(ObjectMapper mapper, Object value, String type) {
    try {
      return plainWriter(mapper).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot serialise event " + type + ": " + e.getOriginalMessage(), e);
    }
  }
}
