package dev.fabula.examples.energy;

import dev.fabula.EventTypes;
import dev.fabula.RecordedEvent;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import dev.fabula.projections.TransactionalHandler;

/**
 * The projection that keeps the {@link LedgerReadModel} up to date: every event of every meter
 * stream, applied in the transaction that also moves the projection's checkpoint (exactly once,
 * even across crashes). It reads the unconfined log and files each event under the tenant stamped
 * on it, which is the meter's owner.
 */
public final class LedgerProjection {
  /** The projection's stable name. */
  public static final String NAME = "energy-ledger";

  private LedgerProjection() {}

  /** The projection writing {@code readModel}, decoding events with {@code types}. */
  public static Projection of(LedgerReadModel readModel, EventTypes types) {
    TransactionalHandler.PerEvent handler = (handle, event) -> {
      String user = ownerOf(event);
      String meter = event.streamId().substring(Meter.CATEGORY.length() + 1);
      if (!(types.decode(event) instanceof MeterEvent decoded)) {
        throw new IllegalStateException("event " + event.position() + " of " + event.streamId() + " has type '"
            + event.type() + "', which is not a meter event");
      }
      readModel.apply(handle, event, user, meter, decoded);
    };
    return Projection.transactional(NAME, TransactionalHandler.eachEvent(handler))
        .withFilter(EventFilter.ofCategories(Meter.CATEGORY))
        .withReset(readModel::clear)
        .withErasure(readModel::erase);
  }

  private static String ownerOf(RecordedEvent event) {
    String tenant = event.metadata().tenantId();
    if (tenant == null) {
      // Every meter belongs to a user; an event without one was appended around the ledger's API.
      throw new IllegalStateException("event " + event.position() + " of " + event.streamId()
          + " has no tenant; append meter events through store.forTenant(userId)");
    }
    return tenant;
  }
}
