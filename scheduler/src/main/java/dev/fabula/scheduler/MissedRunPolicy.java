package dev.fabula.scheduler;

import dev.fabula.InvalidInputException;

/**
 * What a schedule does with occurrences that came due while nothing could run them (every worker
 * was down, the kill switch was on, or the previous run was still going). Stored with the
 * schedule, so every process applies the same policy. Occurrences that do not run are recorded
 * in the history with outcome {@link JobRun.Outcome#MISSED}.
 *
 * @param kind the policy
 * @param cap for {@link Kind#CATCH_UP}: the most missed occurrences to run; else 1
 */
public record MissedRunPolicy(Kind kind, int cap) {

  /** The policies. */
  public enum Kind {
    /** Run once now, for the latest due occurrence; earlier ones are missed. The default. */
    RUN_ONCE,
    /** Run every due occurrence, oldest first and one at a time, but at most the newest {@code cap}. */
    CATCH_UP,
    /**
     * Run nothing late: occurrences later than the lateness limit (1 minute unless set) are
     * missed, and the schedule waits for its next occurrence.
     */
    SKIP
  }

  /** How late an occurrence may run under {@link Kind#SKIP} when the schedule sets no lateness limit. */
  public static final java.time.Duration SKIP_GRACE = java.time.Duration.ofMinutes(1);

  /** Validates the cap. */
  public MissedRunPolicy {
    if (kind == null) {
      throw new InvalidInputException("the missed-run policy kind must not be null");
    }
    if (cap < 1) {
      throw new InvalidInputException("the missed-run cap must be 1 or more but was " + cap);
    }
    if (kind != Kind.CATCH_UP && cap != 1) {
      throw new InvalidInputException("only CATCH_UP takes a cap, but " + kind + " was given " + cap);
    }
  }

  /** Run once now for the latest due occurrence (the default). */
  public static MissedRunPolicy runOnce() {
    return new MissedRunPolicy(Kind.RUN_ONCE, 1);
  }

  /** Run every missed occurrence, at most the newest {@code cap}. */
  public static MissedRunPolicy catchUp(int cap) {
    return new MissedRunPolicy(Kind.CATCH_UP, cap);
  }

  /** Skip missed occurrences and wait for the next one. */
  public static MissedRunPolicy skip() {
    return new MissedRunPolicy(Kind.SKIP, 1);
  }
}
