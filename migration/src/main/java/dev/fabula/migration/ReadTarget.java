package dev.fabula.migration;

/** Where a {@link ReadSwitch} sends reads. */
public enum ReadTarget {
  /** The old tables: the state before the cutover, and the way back. */
  LEGACY,
  /** The new read model built from events. */
  READ_MODEL
}
