package dev.fabula;

import dev.fabula.internal.Validation;

/**
 * What {@link EventStore#erase} erases: a data subject or a stream, and who asked.
 *
 * <pre>{@code
 * store.forTenant("acme").erase(Erasure.stream("customer-c42").by("ops:jane"));
 * store.erase(Erasure.subject("c42").by("dpo-ticket-1187"));
 * }</pre>
 *
 * @param kind a subject or a stream
 * @param target the subject's id as its events name it, or the stream's id; never stored as it
 *     is (the {@link ErasureRecord} keeps a keyed hash of it)
 * @param requestedBy who asked (an operator, a ticket): kept in the erasure record as it is, so
 *     name a role or a ticket rather than a person's e-mail address
 */
public record Erasure(Kind kind, String target, String requestedBy) {
  /** The longest {@link #requestedBy} kept. */
  public static final int MAX_REQUESTED_BY = 200;

  /** What an erasure targets. */
  public enum Kind {
    /**
     * A data subject: its data keys are deleted (crypto-shredding), and every copy of its events'
     * data that the library keeps elsewhere is erased; its events stay, their personal fields
     * reading as null.
     */
    SUBJECT,
    /** A stream: its events and snapshot are deleted, its tombstone keeps only a keyed hash of its id. */
    STREAM
  }

  /** Validates. */
  public Erasure {
    if (kind == null) {
      throw new InvalidInputException("erasure kind must not be null; use Erasure.subject(id) or Erasure.stream(id)");
    }
    if (kind == Kind.STREAM) {
      Validation.streamId(target);
    } else if (target == null || target.isEmpty()) {
      throw new InvalidInputException("subject id must not be null or empty");
    }
    if (requestedBy == null || requestedBy.isBlank()) {
      throw new InvalidInputException("say who requested the erasure: Erasure.subject(id).by(\"ops:jane\")");
    }
    if (requestedBy.length() > MAX_REQUESTED_BY) {
      throw new InvalidInputException("requestedBy is " + requestedBy.length() + " characters long; the limit is " + MAX_REQUESTED_BY);
    }
  }

  /** Erases a data subject, requested by {@code "unknown"} until {@link #by} says who. */
  public static Erasure subject(String subjectId) {
    return new Erasure(Kind.SUBJECT, subjectId, "unknown");
  }

  /** Erases a stream, requested by {@code "unknown"} until {@link #by} says who. */
  public static Erasure stream(String streamId) {
    return new Erasure(Kind.STREAM, streamId, "unknown");
  }

  /** This erasure, requested by {@code who}. */
  public Erasure by(String who) {
    return new Erasure(kind, target, who);
  }

  @Override
  public String toString() {
    // The target is the personal data this erases: never in a log line or a message.
    return "Erasure[" + kind + ", requested by " + requestedBy + "]";
  }
}
