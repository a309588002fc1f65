package dev.fabula.migration;

/**
 * Turns one captured change into events for one stream. The runner replaces the events' ids with
 * ids derived from the capture sequence. Throwing stops the runner at that change (it stays in the
 * capture table): changes of a row must be applied in order, so none is skipped.
 */
@FunctionalInterface
public interface ChangeMapping {
  /** Maps {@code change}; an empty event list applies the change without events. */
  MappedRow map(CapturedChange change) throws Exception;
}
