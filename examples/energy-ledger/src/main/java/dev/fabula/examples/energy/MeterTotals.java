package dev.fabula.examples.energy;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The running totals of one meter, as the read model holds them.
 *
 * @param userId the owner
 * @param meter the meter number
 * @param purchases how many token purchases
 * @param tokensKwh the energy bought, in kWh
 * @param tokensAmount the money paid
 * @param readings how many valid (not voided) readings
 * @param positionKwh the register at the latest valid reading, or null without readings
 * @param consumedKwh the energy used between the first and the latest valid reading
 * @param balanceKwh what is left: tokens bought minus energy used
 */
public record MeterTotals(String userId, String meter, int purchases, BigDecimal tokensKwh, BigDecimal tokensAmount,
    int readings, @Nullable BigDecimal positionKwh, BigDecimal consumedKwh, BigDecimal balanceKwh) {}
