package dev.fabula.examples.energy;

import dev.fabula.Aggregate;
import dev.fabula.Decision;
import dev.fabula.examples.energy.MeterCommand.BuyTokens;
import dev.fabula.examples.energy.MeterCommand.CorrectReading;
import dev.fabula.examples.energy.MeterCommand.RecordReading;
import dev.fabula.examples.energy.MeterCommand.VoidReading;
import dev.fabula.examples.energy.MeterEvent.ReadingCorrected;
import dev.fabula.examples.energy.MeterEvent.ReadingRecorded;
import dev.fabula.examples.energy.MeterEvent.ReadingVoided;
import dev.fabula.examples.energy.MeterEvent.TokensPurchased;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The meter as a decider: it accepts purchases and readings, voids and corrections, and refuses
 * what cannot be true. A meter's register never runs backwards, so a reading (new, late or
 * corrected) must lie between the valid readings before and after it in time; voided readings do
 * not count. Stream {@code meter-<number>}. Stateless and thread-safe.
 */
public final class Meter implements Aggregate<MeterState, MeterCommand, MeterEvent> {

  /** The stream category of meters. */
  public static final String CATEGORY = "meter";

  @Override
  public String category() {
    return CATEGORY;
  }

  @Override
  public Class<MeterState> stateType() {
    return MeterState.class;
  }

  @Override
  public Class<MeterEvent> eventType() {
    return MeterEvent.class;
  }

  @Override
  public MeterState initialState() {
    return MeterState.EMPTY;
  }

  @Override
  public MeterState evolve(MeterState state, MeterEvent event) {
    if (event instanceof TokensPurchased p) {
      return state.withPurchase(p.purchaseId());
    }
    if (event instanceof ReadingRecorded r) {
      return state.withReading(r.readingId(), new MeterState.Reading(r.registerKwh(), r.readAt(), false));
    }
    if (event instanceof ReadingVoided v) {
      MeterState.Reading old = state.readings().get(v.readingId());
      return old == null ? state : state.withReading(v.readingId(), new MeterState.Reading(old.registerKwh(), old.readAt(), true));
    }
    if (event instanceof ReadingCorrected c) {
      return state.withReading(c.readingId(), new MeterState.Reading(c.registerKwh(), c.readAt(), false));
    }
    throw new IllegalArgumentException("unknown meter event " + event);
  }

  @Override
  public Decision<MeterEvent> decide(MeterState state, MeterCommand command) {
    if (command instanceof BuyTokens buy) {
      if (buy.kwh().signum() <= 0 || buy.amount().signum() < 0) {
        return Decision.reject("invalid-purchase", "a purchase needs more than 0 kWh and an amount of 0 or more, got "
            + buy.kwh().toPlainString() + " kWh for " + buy.amount().toPlainString());
      }
      if (state.purchaseIds().contains(buy.purchaseId())) {
        return Decision.accept(); // a retried request: recorded once
      }
      return Decision.accept(new TokensPurchased(buy.purchaseId(), buy.kwh(), buy.amount(), buy.purchasedAt()));
    }
    if (command instanceof RecordReading read) {
      if (state.readings().containsKey(read.readingId())) {
        return Decision.reject("duplicate-reading", "reading '" + read.readingId() + "' exists; correct it instead");
      }
      Decision<MeterEvent> outOfOrder = checkOrder(state, null, read.registerKwh(), read.readAt());
      return outOfOrder != null ? outOfOrder
          : Decision.accept(new ReadingRecorded(read.readingId(), read.registerKwh(), read.readAt()));
    }
    if (command instanceof VoidReading v) {
      MeterState.Reading reading = state.readings().get(v.readingId());
      if (reading == null) {
        return Decision.reject("unknown-reading", "there is no reading '" + v.readingId() + "' on this meter");
      }
      if (reading.voided()) {
        return Decision.reject("already-voided", "reading '" + v.readingId() + "' was voided before");
      }
      return Decision.accept(new ReadingVoided(v.userId(), v.readingId(), v.reason()));
    }
    if (command instanceof CorrectReading c) {
      MeterState.Reading reading = state.readings().get(c.readingId());
      if (reading == null || reading.voided()) {
        return Decision.reject(reading == null ? "unknown-reading" : "already-voided",
            "reading '" + c.readingId() + "' cannot be corrected: " + (reading == null ? "it does not exist" : "it was voided"));
      }
      Decision<MeterEvent> outOfOrder = checkOrder(state, c.readingId(), c.registerKwh(), c.readAt());
      return outOfOrder != null ? outOfOrder
          : Decision.accept(new ReadingCorrected(c.userId(), c.readingId(), c.registerKwh(), c.readAt(), c.reason()));
    }
    throw new IllegalArgumentException("unknown meter command " + command);
  }

  /** A rejection if {@code value} at {@code at} would make the register run backwards, else null. */
  private static Decision<MeterEvent> checkOrder(MeterState state, String ignoredId, BigDecimal value, Instant at) {
    if (value.signum() < 0) {
      return Decision.reject("negative-reading", "a register reading cannot be negative, got " + value.toPlainString());
    }
    for (Map.Entry<String, MeterState.Reading> e : state.readings().entrySet()) {
      MeterState.Reading other = e.getValue();
      if (other.voided() || e.getKey().equals(ignoredId)) {
        continue;
      }
      boolean before = other.readAt().isBefore(at) && other.registerKwh().compareTo(value) > 0;
      boolean after = other.readAt().isAfter(at) && other.registerKwh().compareTo(value) < 0;
      if (before || after) {
        return Decision.reject("reading-out-of-order", "the register cannot run backwards: reading '" + e.getKey()
            + "' shows " + other.registerKwh().toPlainString() + " kWh at " + other.readAt() + ", so "
            + value.toPlainString() + " kWh at " + at + " is impossible");
      }
    }
    return null;
  }
}
