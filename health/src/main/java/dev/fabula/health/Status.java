package dev.fabula.health;

/**
 * How one check, or a whole report, stands. Ordered from best to worst for the parts that count:
 * a report is as bad as its worst check; {@link #DISABLED} checks do not count.
 */
public enum Status {
  /** Works as it should. */
  UP,
  /**
   * Works, but needs attention: events parked or jobs failed over their threshold, a projection
   * rebuilding. A load balancer keeps sending traffic; an operator should look.
   */
  DEGRADED,
  /** Does not work: the store is unreachable, a projection stopped, a pool's threads died. */
  DOWN,
  /**
   * Switched off on purpose (a worker pool not run in this process, the scheduler's kill switch):
   * neither healthy nor failing, and never a reason to restart or to stop traffic.
   */
  DISABLED;

  /** The worse of the two; {@link #DISABLED} counts as nothing. */
  Status worse(Status other) {
    if (this == DISABLED) {
      return other == DISABLED ? UP : other;
    }
    if (other == DISABLED) {
      return this;
    }
    return other.ordinal() > ordinal() ? other : this;
  }
}
