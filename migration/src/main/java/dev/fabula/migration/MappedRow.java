package dev.fabula.migration;

import dev.fabula.EventData;
import dev.fabula.InvalidInputException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one source row becomes: events for one stream, optionally of one tenant. The importer
 * replaces the events' ids with deterministic ones (from the source name, the row key and the
 * event's index), so the ids given here do not matter.
 *
 * @param streamId the stream to append to (with {@code ExpectedVersion.any()})
 * @param events the events, in order; empty to import nothing for this row
 * @param tenantId the tenant the stream belongs to (a legacy table of every customer's rows
 *     imported in one pass), or null for the import's tenant ({@link ImportConfig#tenant()})
 */
public record MappedRow(String streamId, List<EventData> events, @Nullable String tenantId) {
  /** Copies the list; fails on a null stream id or event. */
  public MappedRow {
    if (streamId == null || events == null || events.stream().anyMatch(java.util.Objects::isNull)) {
      throw new InvalidInputException("a mapped row needs a stream id and a list of non-null events (got stream "
          + streamId + ", events " + events + ")");
    }
    events = List.copyOf(events);
  }

  /** Events for one stream, of the import's tenant. */
  public MappedRow(String streamId, List<EventData> events) {
    this(streamId, events, null);
  }

  /** One event for one stream. */
  public static MappedRow of(String streamId, EventData event) {
    return new MappedRow(streamId, List.of(event));
  }

  /** Returns a copy whose stream belongs to {@code value}. */
  public MappedRow withTenant(@Nullable String value) {
    return new MappedRow(streamId, events, value);
  }
}
