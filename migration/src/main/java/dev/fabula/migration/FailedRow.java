package dev.fabula.migration;

/**
 * A source row the import did not write, and why.
 *
 * @param key the row's key, as text
 * @param kind what went wrong
 * @param reason the details (the mapping's exception, or the store's: its type and message)
 */
public record FailedRow(String key, Kind kind, String reason) {

  /** What went wrong with a row. */
  public enum Kind {
    /** The mapping threw: the row was not imported. */
    MAPPING_FAILED,
    /**
     * The store refused the row's events (an {@link dev.fabula.InvalidInputException} such as a
     * payload over the size limit, a NUL character or a stream id too long, or another error about
     * the events themselves): nothing of the row was written, the rest of its batch was. Fix the
     * mapping and run the import again.
     */
    REJECTED_BY_STORE,
    /**
     * The row was imported before with other content (same key and event ids, different events):
     * the source changed since; nothing was written or duplicated. Capture or a new source name
     * brings the change in.
     */
    CHANGED_SINCE_IMPORTED
  }
}
