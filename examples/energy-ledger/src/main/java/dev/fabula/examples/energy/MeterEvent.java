package dev.fabula.examples.energy;

import dev.fabula.DataSubject;
import dev.fabula.EventType;
import dev.fabula.PersonalData;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a prepaid electricity meter, one stream per meter ({@code meter-<number>}),
 * owned by one user (the stream's tenant). Quantities are exact decimals: the store's JSON keeps
 * {@code 12.50} as {@code 12.50}.
 *
 * <p>Nothing is ever deleted or overwritten: a reading entered by mistake is voided by a {@link
 * ReadingVoided} that refers to it, and a wrong value is fixed by a {@link ReadingCorrected}.
 *
 * <p>The reasons of voids and corrections are the user's own words, so they are personal data
 * ({@link PersonalData}), stored encrypted with a key of the meter's owner, the data subject
 * ({@link DataSubject}). Erasing the user ({@link EnergyLedger#eraseUser}) makes them read as
 * {@code null} for good; readings, purchases and amounts stay, so the ledger still adds up.
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
   * @param userId the meter's owner (the data subject of the reason)
   * @param readingId the voided reading
   * @param reason why, in the user's words; {@code null} once the user is erased
   */
  @EventType("reading-voided")
  record ReadingVoided(@DataSubject String userId, String readingId, @PersonalData @Nullable String reason)
      implements MeterEvent {}

  /**
   * A reading's value or time was wrong and is replaced.
   *
   * @param userId the meter's owner (the data subject of the reason)
   * @param readingId the corrected reading
   * @param registerKwh the right register value
   * @param readAt the right time
   * @param reason why, in the user's words; {@code null} once the user is erased
   */
  @EventType("reading-corrected")
  record ReadingCorrected(@DataSubject String userId, String readingId, BigDecimal registerKwh, Instant readAt,
      @PersonalData @Nullable String reason) implements MeterEvent {}
}
