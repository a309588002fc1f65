package dev.fabula.examples.bookings;

import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.bookings.BookingEvent.BookingImported;
import dev.fabula.examples.bookings.BookingEvent.PaymentCaptured;
import dev.fabula.examples.bookings.BookingEvent.PaymentRefunded;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.ParityCheck;
import dev.fabula.migration.ParityConfig;
import dev.fabula.migration.ParityReport;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks the revenue read model against the events, the source of truth: per tenant, the cents
 * captured (payments and completed legacy bookings) and refunded, summed from the global log up to
 * one position, must equal what the read model shows at that position. The comparison is the
 * migration module's {@link ParityCheck}, by tenant and by the sums (±0.1%, the story's budget); the
 * event totals are written to a scratch table ({@code <prefix>reconciliation_totals}) so that both
 * sides are SQL.
 */
public final class Reconciliation {
  private final JdbcEventStore store;
  private final ReadModels readModels;
  private final String totalsTable;

  /**
   * What the reconciliation found.
   *
   * @param position the global position both sides were taken at
   * @param fromEvents per tenant, {captured, refunded} cents summed from the events
   * @param parity the parity check's report (its "legacy" side is the event totals)
   */
  public record Report(long position, Map<String, long[]> fromEvents, ParityReport parity) {
    /** Whether the read model matches the events. */
    public boolean passed() {
      return parity.passed();
    }
  }

  /** A reconciliation of {@code readModels} against {@code store}; its scratch table is named after {@code prefix}. */
  public Reconciliation(JdbcEventStore store, ReadModels readModels, String prefix) {
    this.store = store;
    this.readModels = readModels;
    this.totalsTable = prefix + "reconciliation_totals";
  }

  /** Runs it at the store's head position, waiting up to {@code timeout} for the revenue projection. */
  public Report run(Duration timeout) {
    long head = store.headPosition();
    readModels.projectionsModule().awaitPosition(readModels.revenueProjection().id(), head, timeout);
    Map<String, long[]> totals = new TreeMap<>();
    try (Stream<RecordedEvent> events = store.readAll(LogQuery.all().categories(Set.of("booking")))) {
      events.takeWhile(e -> e.position() <= head).forEach(e -> {
        long[] sums = totals.computeIfAbsent(e.metadata().tenantId(), t -> new long[2]);
        Object event = store.types().decode(e);
        if (event instanceof PaymentCaptured c) {
          sums[0] += c.amountCents();
        } else if (event instanceof PaymentRefunded r) {
          sums[1] += r.amountCents();
        } else if (event instanceof BookingImported i && !"cancelled".equals(i.status())) {
          sums[0] += i.priceCents();
        }
      });
    }
    store.jdbi().useTransaction(h -> {
      h.execute("CREATE TABLE IF NOT EXISTS " + totalsTable + " (tenant_id VARCHAR(40) NOT NULL PRIMARY KEY, "
          + "captured_cents BIGINT NOT NULL, refunded_cents BIGINT NOT NULL)");
      h.execute("DELETE FROM " + totalsTable);
      totals.forEach((tenant, sums) -> h.execute(
          "INSERT INTO " + totalsTable + " (tenant_id, captured_cents, refunded_cents) VALUES (?, ?, ?)",
          tenant, sums[0], sums[1]));
    });
    String columns = "tenant_id, captured_cents, refunded_cents, captured_cents - refunded_cents AS net_cents";
    ParityReport parity = ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT
            .withKeyColumns("tenant_id")
            .withSumColumns("captured_cents", "refunded_cents", "net_cents")
            .withTolerance(0.001))
        .compare("SELECT " + columns + " FROM " + totalsTable,
            "SELECT " + columns + " FROM " + readModels.revenueTable());
    return new Report(head, totals, parity);
  }
}
