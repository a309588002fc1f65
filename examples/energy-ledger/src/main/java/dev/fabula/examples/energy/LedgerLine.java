package dev.fabula.examples.energy;

import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One line of a meter's ledger: a purchase or a reading with the running totals at that moment.
 *
 * @param at when it happened
 * @param kind a purchase or a reading
 * @param id the purchase's or reading's id
 * @param kwh the energy bought, or the register value read
 * @param amount the money paid (purchases)
 * @param consumptionKwh the energy used since the previous valid reading (readings; null for the
 *     first and for voided ones)
 * @param boughtToDateKwh tokens bought up to this reading
 * @param consumedToDateKwh energy used from the first valid reading up to this one
 * @param balanceKwh bought to date minus consumed to date
 * @param voided whether the reading was voided (it stays in the ledger, without totals)
 * @param note the void reason, or whether the reading was corrected or imported
 */
public record LedgerLine(Instant at, Kind kind, String id, BigDecimal kwh, @Nullable BigDecimal amount,
    @Nullable BigDecimal consumptionKwh, @Nullable BigDecimal boughtToDateKwh, @Nullable BigDecimal consumedToDateKwh,
    @Nullable BigDecimal balanceKwh, boolean voided, String note) {

  /** What a ledger line records. */
  public enum Kind {
    /** Tokens bought. */
    PURCHASE,
    /** A register reading. */
    READING
  }
}
