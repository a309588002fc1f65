package dev.fabula.scheduler;

/**
 * What a schedule does on a daylight-saving change day in its time zone.
 *
 * <p><b>A local time that does not exist</b> (spring forward: in New York on 2025-03-09 clocks jump
 * from 02:00 to 03:00, so 02:30 never happens) is handled by this policy. <b>A local time that
 * happens twice</b> (fall back: on 2025-11-02, 01:30 happens at 05:30 UTC and again at 06:30 UTC)
 * always runs once, at the first of the two instants: no policy is needed for it.
 */
public enum DstPolicy {
  /**
   * Run at the first valid instant after the gap: a 02:30 run on a spring-forward day runs at
   * 03:00, the moment the clocks jump to. The default.
   */
  RUN_AT_NEXT_VALID_TIME,
  /** Skip the occurrence: a 02:30 run on a spring-forward day does not run that day. */
  SKIP
}
