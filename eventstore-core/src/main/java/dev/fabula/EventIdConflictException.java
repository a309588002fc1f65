package dev.fabula;

import java.util.UUID;

/**
 * An event id was already stored with different content or in another place, so the append is not
 * a retry of an earlier one. Nothing was appended. Give new events new ids; reuse an id only to
 * retry exactly the same append.
 */
public class EventIdConflictException extends EventStoreException {
  private static final long serialVersionUID = 1L;
  private final UUID eventId;

  /** Creates the exception; {@code detail} says how the stored event differs. */
  public EventIdConflictException(UUID eventId, String detail) {
    super("event id " + eventId + " was already appended " + detail
        + "; a retry must resend exactly the same events with the same ids, new events need new ids");
    this.eventId = eventId;
  }

  /** The conflicting event id. */
  public UUID eventId() {
    return eventId;
  }
}
