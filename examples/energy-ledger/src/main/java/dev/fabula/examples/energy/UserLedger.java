package dev.fabula.examples.energy;

import dev.fabula.AggregateRepository;
import dev.fabula.CommandResult;
import dev.fabula.EventStore;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.energy.MeterCommand.BuyTokens;
import dev.fabula.examples.energy.MeterCommand.CorrectReading;
import dev.fabula.examples.energy.MeterCommand.RecordReading;
import dev.fabula.examples.energy.MeterCommand.VoidReading;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * One user's ledger: commands go to their meters through the store confined to their tenant
 * ({@code store.forTenant(userId)}), a namespace of their own where another user's meter does not
 * exist; queries read only their rows of the read model. Thread-safe.
 */
public final class UserLedger {
  private final String userId;
  private final EventStore store;
  private final Jdbi jdbi;
  private final LedgerReadModel readModel;
  private final AggregateRepository<MeterState, MeterCommand, MeterEvent> meters;

  UserLedger(String userId, EventStore tenantStore, Jdbi jdbi, LedgerReadModel readModel) {
    this.userId = userId;
    this.store = tenantStore;
    this.jdbi = jdbi;
    this.readModel = readModel;
    this.meters = AggregateRepository.of(tenantStore, new Meter());
  }

  /** The user. */
  public String userId() {
    return userId;
  }

  /** Records tokens bought for {@code meter}. */
  public CommandResult<MeterEvent> buyTokens(String meter, String purchaseId, BigDecimal kwh, BigDecimal amount,
      Instant at) {
    return meters.handle(meter, new BuyTokens(purchaseId, kwh, amount, at));
  }

  /** Records a register reading of {@code meter}, possibly dated before earlier readings. */
  public CommandResult<MeterEvent> recordReading(String meter, String readingId, BigDecimal kwh, Instant at) {
    return meters.handle(meter, new RecordReading(readingId, kwh, at));
  }

  /** Voids a reading entered by mistake (it stays in the history). */
  public CommandResult<MeterEvent> voidReading(String meter, String readingId, String reason) {
    return meters.handle(meter, new VoidReading(userId, readingId, reason));
  }

  /** Corrects a reading's value and time. */
  public CommandResult<MeterEvent> correctReading(String meter, String readingId, BigDecimal kwh, Instant at,
      String reason) {
    return meters.handle(meter, new CorrectReading(userId, readingId, kwh, at, reason));
  }

  /** The events of {@code meter}, oldest first (fails for another user's meter). */
  public List<RecordedEvent> history(String meter) {
    return store.readStream(meters.streamId(meter));
  }

  /** The running totals of the user's meters. */
  public List<MeterTotals> meters() {
    return readModel.meters(jdbi, userId);
  }

  /** The ledger of one of the user's meters (empty for another user's meter). */
  public List<LedgerLine> ledger(String meter) {
    return readModel.ledger(jdbi, userId, meter);
  }

  /** The recomputations of one of the user's meters. */
  public List<LedgerReadModel.Recalculation> recalculations(String meter) {
    return readModel.recalculations(jdbi, userId, meter);
  }
}
