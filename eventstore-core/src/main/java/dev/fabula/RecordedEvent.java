package dev.fabula;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * An event as stored. Decode the payload into its Java type with {@link EventTypes#decode}.
 *
 * <p>The payload tree belongs to the caller: the store never looks at it again.
 *
 * @param position the event's place in the global log, unique and increasing in commit order
 * @param streamId the stream it belongs to
 * @param streamVersion its version within the stream, 1 for the first event
 * @param eventId its unique id
 * @param type its stable type name
 * @param schemaVersion the payload's schema version
 * @param payload the payload, a JSON object
 * @param metadata correlation, causation, tenant, actor and free-form entries
 * @param recordedAt when the appending store's clock recorded it
 */
public record RecordedEvent(
    long position,
    String streamId,
    long streamVersion,
    UUID eventId,
    String type,
    int schemaVersion,
    ObjectNode payload,
    Metadata metadata,
    Instant recordedAt) {

  /** The stream's category: the part of the stream id before the first {@code -}. */
  public String category() {
    return Streams.category(streamId);
  }
}
