package dev.fabula;

import dev.fabula.internal.Uuids;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Who sent a command and why; {@link AggregateRepository#handle(String, Object, CommandMetadata)}
 * copies it onto every event the command produces, so nobody sets correlation ids by hand:
 *
 * <ul>
 *   <li>the event's <b>causation id</b> is the command id;
 *   <li>its <b>correlation id</b> is the command's correlation id, or the command id when the
 *       command starts a new workflow;
 *   <li>its <b>actor</b> and free-form entries are the command's.
 * </ul>
 *
 * <pre>{@code
 * // in an HTTP handler: the request id is the command id, the caller is the actor
 * repository.handle(name, new SetValue(value), CommandMetadata.of(requestId).withActor(user));
 * // in a process manager reacting to an event: the workflow's correlation id carries on
 * repository.handle(id, command, CommandMetadata.causedBy(event));
 * }</pre>
 *
 * @param commandId the command's unique id; becomes the events' causation id
 * @param correlationId the workflow's id, or null to start a new workflow named by the command id
 * @param actor who sent the command, or null
 * @param entries free-form entries copied to the events (a sorted, immutable copy)
 */
public record CommandMetadata(
    String commandId, @Nullable String correlationId, @Nullable String actor, Map<String, String> entries) {

  /** Validates the id and copies the entries. */
  public CommandMetadata {
    if (commandId == null || commandId.isBlank()) {
      throw new InvalidInputException(
          "command id must not be " + (commandId == null ? "null" : "blank") + "; use CommandMetadata.create()");
    }
    entries = entries == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  /** Metadata for a new command with a new time-ordered id, starting a new workflow. */
  public static CommandMetadata create() {
    return of(Uuids.timeOrdered().toString());
  }

  /** Metadata for a command with this id (a request id, a message id), starting a new workflow. */
  public static CommandMetadata of(String commandId) {
    return new CommandMetadata(commandId, null, null, Map.of());
  }

  /**
   * Metadata for a new command sent in reaction to {@code event}: a new command id, the event's
   * correlation id (or its event id if it had none) and its actor.
   */
  public static CommandMetadata causedBy(RecordedEvent event) {
    Metadata m = event.metadata();
    String correlation = m.correlationId() != null ? m.correlationId() : event.eventId().toString();
    return new CommandMetadata(Uuids.timeOrdered().toString(), correlation, m.actor(), Map.of());
  }

  /** Returns a copy in the workflow {@code value}. */
  public CommandMetadata withCorrelationId(@Nullable String value) {
    return new CommandMetadata(commandId, value, actor, entries);
  }

  /** Returns a copy sent by {@code value}. */
  public CommandMetadata withActor(@Nullable String value) {
    return new CommandMetadata(commandId, correlationId, value, entries);
  }

  /** Returns a copy with one free-form entry added or replaced. */
  public CommandMetadata with(String key, String value) {
    Map<String, String> copy = new TreeMap<>(entries);
    copy.put(key, value);
    return new CommandMetadata(commandId, correlationId, actor, copy);
  }

  /** The metadata of the events this command produces; see the class comment. */
  public Metadata toEventMetadata() {
    return new Metadata(correlationId != null ? correlationId : commandId, commandId, null, actor, entries);
  }
}
