package dev.fabula.examples.energy;

import dev.fabula.EventType;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What happens to a prepaid electricity meter, one stream per meter ({@code meter-<number>}),
 * owned by one user (the stream's tenant). Quantities are exact decimals: the store's JSON keeps
 * {@code 12.50} as {@code 12.50}.
 *
 * <p>Nothing is ever deleted or overwritten: a reading entered by mistake is voided by a {@link
 * ReadingVoided} that refers to it, and a wrong value is fixed by a {@link ReadingCorrected}.
 */
public sealed interface MeterEvent {

  /**
   * Electricity tokens were bought for the meter.
   *
   * @param purchaseId the purchase's id (the token number, or the legacy row), unique per meter
   * @param kwh the energy bought, in kWh
   * @param amount the money paid
   * @param purchasedAt when it was bought
   */
  @EventType("tokens-purchased")
  record TokensPurchased(String purchaseId, BigDecimal kwh, BigDecimal amount, Instant purchasedAt)
      implements MeterEvent {}

  /**
   * The meter's register was read: it counts every kWh used since it was installed.
   *
   * @param readingId the reading's id, unique per meter
   * @param registerKwh the register's value, in kWh
   * @param readAt when the meter showed it (may be earlier than readings already recorded)
   */
  @EventType("reading-recorded")
  record ReadingRecorded(String readingId, BigDecimal registerKwh, Instant readAt) implements MeterEvent {}

  /**
   * A reading was entered by mistake: it no longer counts, but stays in the history.
   *
   * @param readingId the voided reading
   * @param reason why, in the user's words
   */
  @EventType("reading-voided")
  record ReadingVoided(String readingId, String reason) implements MeterEvent {}

  /**
   * A reading's value or time was wrong and is replaced.
   *
   * @param readingId the corrected reading
   * @param registerKwh the right register value
   * @param readAt the right time
   * @param reason why
   */
  @EventType("reading-corrected")
  record ReadingCorrected(String readingId, BigDecimal registerKwh, Instant readAt, String reason)
      implements MeterEvent {}
}
