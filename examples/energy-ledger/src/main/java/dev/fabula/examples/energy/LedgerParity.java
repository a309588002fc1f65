package dev.fabula.examples.energy;

import dev.fabula.migration.ParityCheck;
import dev.fabula.migration.ParityConfig;
import dev.fabula.migration.ParityReport;
import org.jdbi.v3.core.Jdbi;

/**
 * Proves that the read model holds what the legacy tables hold, with the migration module's
 * {@link ParityCheck}: row by row by legacy id (user, meter and value), and by aggregates (row
 * counts and sums) within a relative tolerance. Voided and corrected readings stay in the read model
 * with their legacy id; a correction of an imported reading shows as a difference, on purpose.
 */
public final class LedgerParity {
  /** The tolerance of the team's reconciliation: ±0.1%. */
  public static final double TOLERANCE = 0.001;

  private LedgerParity() {}

  /**
   * The two reports.
   *
   * @param readings the legacy readings against the read model's imported readings
   * @param purchases the legacy purchases against the read model's imported purchases
   */
  public record Result(ParityReport readings, ParityReport purchases) {
    /** Whether both passed. */
    public boolean passed() {
      return readings.passed() && purchases.passed();
    }

    /** Both reports, for people and logs. */
    public String describe() {
      return "readings: " + readings.describe() + "purchases: " + purchases.describe();
    }
  }

  /** Compares both legacy tables with the read model in {@code jdbi}'s database. */
  public static Result check(Jdbi jdbi, LedgerTables t, double tolerance) {
    ParityReport readings = ParityCheck.of(jdbi, ParityConfig.DEFAULT.withKeyColumns("id")
            .withCompareColumns("user_id", "meter_no", "reading_kwh").withSumColumns("reading_kwh").withTolerance(tolerance))
        .compare("SELECT id, user_id, meter_no, reading_kwh FROM " + t.legacyReadings(),
            "SELECT legacy_id AS id, user_id, meter_no, reading_kwh FROM " + t.readings() + " WHERE legacy_id IS NOT NULL");
    ParityReport purchases = ParityCheck.of(jdbi, ParityConfig.DEFAULT.withKeyColumns("id")
            .withCompareColumns("user_id", "meter_no", "kwh", "amount").withSumColumns("kwh", "amount").withTolerance(tolerance))
        .compare("SELECT id, user_id, meter_no, kwh, amount FROM " + t.legacyPurchases(),
            "SELECT legacy_id AS id, user_id, meter_no, kwh, amount FROM " + t.purchases() + " WHERE legacy_id IS NOT NULL");
    return new Result(readings, purchases);
  }
}
