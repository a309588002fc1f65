package dev.fabula.examples.energy;

import java.math.BigDecimal;
import java.time.Instant;

/** What a user asks of one of their meters; {@link Meter} decides. */
public sealed interface MeterCommand {

  /**
   * Records tokens bought. A purchase id seen before is accepted without new events (a retried
   * request).
   *
   * @param purchaseId the purchase's id
   * @param kwh the energy bought, more than 0
   * @param amount the money paid, 0 or more
   * @param purchasedAt when
   */
  record BuyTokens(String purchaseId, BigDecimal kwh, BigDecimal amount, Instant purchasedAt) implements MeterCommand {}

  /**
   * Records a register reading, possibly dated before readings already recorded (a late reading).
   *
   * @param readingId the reading's id
   * @param registerKwh the register value, 0 or more, between its valid neighbours in time
   * @param readAt when the meter showed it
   */
  record RecordReading(String readingId, BigDecimal registerKwh, Instant readAt) implements MeterCommand {}

  /**
   * Voids a reading entered by mistake.
   *
   * @param userId the meter's owner, who gives the reason
   * @param readingId the reading
   * @param reason why
   */
  record VoidReading(String userId, String readingId, String reason) implements MeterCommand {}

  /**
   * Replaces the value and time of a reading.
   *
   * @param userId the meter's owner, who gives the reason
   * @param readingId the reading
   * @param registerKwh the right value
   * @param readAt the right time
   * @param reason why
   */
  record CorrectReading(String userId, String readingId, BigDecimal registerKwh, Instant readAt, String reason)
      implements MeterCommand {}
}
