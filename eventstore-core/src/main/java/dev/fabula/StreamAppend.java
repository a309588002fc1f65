package dev.fabula;

import java.util.List;

/**
 * One stream's part of a multi-stream append ({@link EventStore#appendAll}).
 *
 * @param streamId the stream
 * @param expected what the stream's version must be
 * @param events the events to append, at least one
 */
public record StreamAppend(String streamId, ExpectedVersion expected, List<EventData> events) {
  /** Copies the list. */
  public StreamAppend {
    if (events == null) {
      throw new InvalidInputException("events of stream '" + streamId + "' must not be null; pass at least one event");
    }
    for (EventData event : events) {
      if (event == null) {
        throw new InvalidInputException("event must not be null (stream '" + streamId + "')");
      }
    }
    events = List.copyOf(events);
  }
}
