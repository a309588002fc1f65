package dev.fabula.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.InvalidInputException;
import java.time.Instant;

/**
 * An aggregate's state saved at a stream version, so that loading it replays only later events.
 *
 * @param streamId the aggregate's stream
 * @param version the stream version the state reflects, 1 or more
 * @param stateSchemaVersion the state's schema version ({@link dev.fabula.Aggregate#stateSchemaVersion()})
 *     when it was saved; a snapshot of another version is ignored
 * @param state the state as JSON (the tree belongs to whoever holds the record: stores copy it)
 * @param takenAt when it was saved
 */
public record Snapshot(String streamId, long version, int stateSchemaVersion, JsonNode state, Instant takenAt) {

  /** Validates every value. */
  public Snapshot {
    if (streamId == null || state == null || takenAt == null) {
      throw new InvalidInputException("snapshot stream id, state and time must not be null (stream " + streamId + ")");
    }
    if (version < 1) {
      throw new InvalidInputException("snapshot of stream '" + streamId + "' must have a version of 1 or more but had " + version);
    }
    if (stateSchemaVersion < 1) {
      throw new InvalidInputException(
          "snapshot of stream '" + streamId + "' must have a state schema version of 1 or more but had " + stateSchemaVersion);
    }
  }
}
