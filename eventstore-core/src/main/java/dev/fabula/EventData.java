package dev.fabula;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.internal.Uuids;
import java.util.Objects;
import java.util.UUID;

/**
 * An event to append: an id, a payload and metadata.
 *
 * <p>The payload is either an instance of a class registered in the store's {@link EventTypes}
 * (its type name and schema version come from there) or a {@link RawEvent}. The event id makes
 * appends idempotent: appending the same ids again returns the first result and writes nothing.
 * New ids are time-ordered UUIDs (version 7), which keeps the database's id index compact.
 *
 * @param eventId the event's unique id
 * @param payload a registered event object or a {@link RawEvent}
 * @param metadata correlation, causation, tenant, actor and free-form entries
 */
public record EventData(UUID eventId, Object payload, Metadata metadata) {

  /** Checks that no component is null. */
  public EventData {
    if (eventId == null || payload == null || metadata == null) {
      throw new InvalidInputException(
          "event id, payload and metadata must not be null (got id=" + eventId + ", payload="
              + (payload == null ? "null" : payload.getClass().getName()) + ", metadata=" + metadata
              + "); use EventData.of(payload) for defaults");
    }
  }

  /** An event with a new id and empty metadata; {@code payload}'s class must be registered. */
  public static EventData of(Object payload) {
    return new EventData(Uuids.timeOrdered(), payload, Metadata.EMPTY);
  }

  /** An event of an explicitly named type given as JSON, without a Java class. */
  public static EventData json(String type, int schemaVersion, ObjectNode payload) {
    return of(new RawEvent(type, schemaVersion, Objects.requireNonNull(payload, "payload")));
  }

  /** Returns a copy with another id (for example one derived from a request id, for safe retries). */
  public EventData withEventId(UUID id) {
    return new EventData(id, payload, metadata);
  }

  /** Returns a copy with other metadata. */
  public EventData withMetadata(Metadata value) {
    return new EventData(eventId, payload, value);
  }
}
