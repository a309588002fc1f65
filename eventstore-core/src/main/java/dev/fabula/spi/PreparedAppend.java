package dev.fabula.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.AppendResult;
import dev.fabula.EventIdConflictException;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One stream's validated append.
 *
 * @param streamId the stream
 * @param expected the expected version
 * @param events the events, at least one
 */
public record PreparedAppend(String streamId, ExpectedVersion expected, List<PreparedEvent> events) {

  /** Compares JSON trees by value: 2 (int) equals 2 (long) equals 2.0, as after a database round trip. */
  private static final Comparator<JsonNode> SAME_JSON_VALUE = (a, b) -> {
    if (a.equals(b)) {
      return 0;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
    }
    return 1;
  };

  /**
   * Decides what a repeated append means, given the stored events that carry some of its ids.
   *
   * @return the first append's result, {@link AppendResult#replayed()} {@code true}, when every
   *     event is stored exactly as attempted
   * @throws EventIdConflictException otherwise
   */
  public AppendResult replayedFrom(List<RecordedEvent> stored) {
    Map<UUID, RecordedEvent> byId = new HashMap<>();
    stored.forEach(e -> byId.put(e.eventId(), e));
    RecordedEvent first = null;
    RecordedEvent last = null;
    for (PreparedEvent event : events()) {
      RecordedEvent s = byId.get(event.eventId());
      if (s == null) {
        UUID storedId = stored.get(0).eventId();
        throw new EventIdConflictException(
            storedId, "but event " + event.eventId() + " of the same batch was not: the batch differs from the stored one");
      }
      if (!s.streamId().equals(streamId())) {
        throw new EventIdConflictException(event.eventId(), "to stream '" + s.streamId() + "', not '" + streamId() + "'");
      }
      if (!s.type().equals(event.type()) || s.schemaVersion() != event.schemaVersion() || !samePayload(s, event)) {
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
        streamId(), first.streamVersion(), last.streamVersion(), first.position(), last.position(), true);
  }

  /**
   * Whether the stored payload is the attempted one. Personal fields are stored encrypted with a new
   * IV on every attempt, so payloads with envelopes compare equal when all else is and each
   * envelope names the same key.
   */
  private static boolean samePayload(RecordedEvent stored, PreparedEvent event) {
    return stored.payload().equals(SAME_JSON_VALUE, event.payload())
        || dev.fabula.internal.PersonalDataCipher.sameSealed(stored.payload(), event.payload());
  }

  /** Whether a stream at {@code version} (-1: absent) satisfies {@code expected}. */
  public static boolean holds(ExpectedVersion expected, long version) {
    if (expected instanceof ExpectedVersion.Exactly exactly) {
      return exactly.version() == Math.max(version, 0);
    }
    if (expected instanceof ExpectedVersion.NoStream) {
      return version <= 0;
    }
    return !(expected instanceof ExpectedVersion.StreamExists) || version > 0;
  }
}

