package dev.fabula.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.Metadata;
import java.util.UUID;

/**
 * An event validated and serialised, ready for a backend to store.
 *
 * @param eventId the id
 * @param type the type name
 * @param schemaVersion the payload schema version
 * @param payload the payload tree as stored: personal fields sealed ({@link dev.fabula.PersonalDataPolicy})
 * @param payloadJson the payload as JSON text, as stored
 * @param metadata the metadata; its tenant is stamped by the backend
 * @param entriesJson the metadata's free-form entries as JSON text
 */
public record PreparedEvent(
    UUID eventId,
    String type,
    int schemaVersion,
    ObjectNode payload,
    String payloadJson,
    Metadata metadata,
    String entriesJson) {}
