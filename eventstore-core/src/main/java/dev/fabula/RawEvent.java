package dev.fabula;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event as plain JSON, for types that have no Java class registered: what {@link
 * EventTypes#decode(RecordedEvent)} returns for an unknown type, and what {@link EventData#json}
 * appends without a class (imports, tools, old types).
 *
 * @param type the stable type name
 * @param schemaVersion the payload's schema version, 1 or more
 * @param payload the payload, a JSON object
 */
public record RawEvent(String type, int schemaVersion, ObjectNode payload) {}
