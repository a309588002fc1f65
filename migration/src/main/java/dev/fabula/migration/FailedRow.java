package dev.fabula.migration;

/**
 * A source row the import did not write, and why.
 *
 * @param key the row's key, as text
 * @param kind what went wrong
 * @param reason the details (the mapping's exception message, or the store's conflict)
 */
public record FailedRow(String key, Kind kind, String reason) {

  /** What went wrong with a row. */
  public enum Kind {
    /** The mapping threw: the row was not imported. */
    MAPPING_FAILED,
    /**
     * The row was imported before with other content (same key and event ids, different events):
     * the source changed since; nothing was written or duplicated. Capture or a new source name
     * brings the change in.
     */
    CHANGED_SINCE_IMPORTED
  }
}
