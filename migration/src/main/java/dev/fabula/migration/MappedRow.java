package dev.fabula.migration;

import dev.fabula.EventData;
import dev.fabula.InvalidInputException;
import java.util.List;

/**
 * What one source row becomes: events for one stream. The importer replaces the events' ids with
 * deterministic ones (from the source name, the row key and the event's index), so the ids given
 * here do not matter.
 *
 * @param streamId the stream to append to (with {@code ExpectedVersion.any()})
 * @param events the events, in order; empty to import nothing for this row
 */
public record MappedRow(String streamId, List<EventData> events) {
  /** Copies the list; fails on a null stream id or event. */
  public MappedRow {
    if (streamId == null || events == null || events.stream().anyMatch(java.util.Objects::isNull)) {
      throw new InvalidInputException("a mapped row needs a stream id and a list of non-null events (got stream "
          + streamId + ", events " + events + ")");
    }
    events = List.copyOf(events);
  }

  /** One event for one stream. */
  public static MappedRow of(String streamId, EventData event) {
    return new MappedRow(streamId, List.of(event));
  }
}
