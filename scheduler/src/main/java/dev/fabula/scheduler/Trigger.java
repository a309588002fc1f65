package dev.fabula.scheduler;

/** Why an attempt of a job ran; recorded in the execution history. */
public enum Trigger {
  /** Enqueued by application code. */
  MANUAL,
  /** Made by a recurring {@link Schedule}. */
  SCHEDULED,
  /** A retry after a failed attempt or an expired lease. */
  RETRY,
  /** Released by its parent job's success. */
  DEPENDENT;

  /** The database spelling. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Reads the database spelling. */
  public static Trigger ofCode(String code) {
    return valueOf(code.toUpperCase(java.util.Locale.ROOT));
  }
}
