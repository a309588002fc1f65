package dev.fabula.projections;

/**
 * The event waited for will not show in the read model: the projection parked it in its
 * dead-letter table (its handler kept failing under {@link FailurePolicy#PARK}, or it is held back
 * behind an earlier parked event of its stream), or it was dismissed. Thrown by {@link
 * Projections#awaitPosition} instead of returning, so a read-your-writes wait never reports success
 * for an event that was not applied.
 *
 * <p>What to do depends on {@link #parkedEvent()}: after a fix, {@link Projections#retryParked}
 * and wait again (the wait then ends when the retry applied it, or throws again if it failed
 * again); a {@link ParkedEvent.Status#DISMISSED dismissed} event is never applied.
 */
public class EventParkedException extends ProjectionException {
  private static final long serialVersionUID = 1L;

  private final transient ParkedEvent parkedEvent;

  /** Creates the exception from the event's dead-letter row. */
  public EventParkedException(ParkedEvent parkedEvent) {
    super(message(parkedEvent));
    this.parkedEvent = parkedEvent;
  }

  private static String message(ParkedEvent p) {
    String what = p.status() == ParkedEvent.Status.DISMISSED
        ? "was dismissed (" + p.reason() + ") and is never applied"
        : (p.blockedBy() == null ? "was parked after its handler failed " + p.attempts() + " times: " + p.reason()
            : "is held back behind the parked event at position " + p.blockedBy() + " of its stream")
            + "; after a fix, call Projections.retryParked(" + p.projection() + ", "
            + (p.tenantId() == null ? "" : "\"" + p.tenantId() + "\", ") + "\"" + p.streamId()
            + "\") and wait again, or dismiss it";
    return "projection " + p.projection() + " has not applied the event at position " + p.position() + " (stream '"
        + p.streamId() + "'" + (p.tenantId() == null ? "" : " of tenant '" + p.tenantId() + "'") + ", type " + p.type()
        + "): it " + what;
  }

  /** The event's row in the dead-letter table, when this was thrown. */
  public ParkedEvent parkedEvent() {
    return parkedEvent;
  }
}
