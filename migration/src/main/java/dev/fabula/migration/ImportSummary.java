package dev.fabula.migration;

import java.util.List;

/**
 * What an import pass did, counted over the whole pass, across resumes after crashes.
 *
 * @param name the import's name
 * @param pass 1 for the first import; each rerun of a finished import is a new pass
 * @param rowsRead rows read from the source
 * @param eventsWritten events appended
 * @param rowsSkipped rows whose events were already stored, exactly as now (imported before)
 * @param failedRows every row not written, with its reason (mapping failures, rows the store
 *     rejected, changed rows)
 * @param checksum hex SHA-256 sum over the rows' keys and contents; equal for equal sources
 */
public record ImportSummary(String name, int pass, long rowsRead, long eventsWritten, long rowsSkipped,
    List<FailedRow> failedRows, String checksum) {

  /** Copies the list. */
  public ImportSummary {
    failedRows = List.copyOf(failedRows);
  }

  /** The rows whose mapping failed. */
  public List<FailedRow> mappingFailures() {
    return failedRows.stream().filter(f -> f.kind() == FailedRow.Kind.MAPPING_FAILED).toList();
  }

  /** The rows whose events the store rejected. */
  public List<FailedRow> rejectedRows() {
    return failedRows.stream().filter(f -> f.kind() == FailedRow.Kind.REJECTED_BY_STORE).toList();
  }

  /** The rows that changed since they were imported. */
  public List<FailedRow> changedRows() {
    return failedRows.stream().filter(f -> f.kind() == FailedRow.Kind.CHANGED_SINCE_IMPORTED).toList();
  }
}
