package dev.fabula.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * Where an import stands, as its checkpoint in the database says: readable from any process while
 * the import runs in another ({@link Migrations#imports()}).
 *
 * @param name the import's name (its source's)
 * @param pass 1 for the first import; each rerun of a finished import is a new pass
 * @param rowsRead rows of the source read by this pass so far, across resumes
 * @param eventsWritten events this pass appended
 * @param rowsSkipped rows whose events were already stored (imported before)
 * @param rowsFailed rows whose mapping failed or whose events the store rejected
 * @param rowsChanged rows imported before with other content ({@link
 *     FailedRow.Kind#CHANGED_SINCE_IMPORTED})
 * @param finished whether this pass has reached the end of the source
 * @param startedAt when this pass started
 * @param updatedAt when its last batch was committed (or it started, before its first)
 */
public record ImportStatus(String name, int pass, long rowsRead, long eventsWritten, long rowsSkipped, long rowsFailed,
    long rowsChanged, boolean finished, Instant startedAt, Instant updatedAt) {

  /** The rows listed by {@link Migrations#failedRows}: failed and changed rows. */
  public long failedRowsListed() {
    return rowsFailed + rowsChanged;
  }

  /**
   * The pass's average rate: rows read per second from its start to its last batch, empty before
   * two batch times differ. An average over the whole pass, so the time an import stood still
   * between a crash and its resume lowers it; a running import's instant rate is {@link
   * ImportProgress#rowsPerSecond()}.
   */
  public OptionalDouble averageRowsPerSecond() {
    long millis = Duration.between(startedAt, updatedAt).toMillis();
    return millis <= 0 || rowsRead == 0 ? OptionalDouble.empty() : OptionalDouble.of(rowsRead * 1000.0 / millis);
  }
}
