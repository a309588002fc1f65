package dev.fabula.examples.bookings.spring;

import dev.fabula.AggregateState;
import dev.fabula.EventStore;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.BookingPlatform.SettledBooking;
import dev.fabula.examples.bookings.BookingRequest;
import dev.fabula.examples.bookings.LegacyImport;
import dev.fabula.examples.bookings.PaymentGateway;
import dev.fabula.examples.bookings.ReadModels;
import dev.fabula.examples.bookings.Reconciliation;
import dev.fabula.examples.bookings.RequestOutcome;
import dev.fabula.examples.bookings.SimulatedPaymentGateway;
import dev.fabula.examples.bookings.StaffScheduleAggregate.Schedule;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.migration.ImportSummary;
import dev.fabula.spi.Snapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The plain example's tour, told by the Spring application: a legacy import, two tenants booking,
 * a retried request, a refused double booking, the saga's happy and compensating paths, a snapshot
 * load, the read models and the reconciliation, with the same figures as the plain tour, plus the
 * application's own table. It needs an empty database; {@link BookingsApplication#main} runs it.
 */
@Component
public class SpringTour {
  private static final LocalDate DAY = LocalDate.of(2025, 3, 10);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int BEN_BOOKINGS = 25;

  private final BookingService bookings;
  private final BookingTable table;
  private final JdbcEventStore store;
  private final JdbcSnapshotStore snapshots;
  private final PaymentGateway gateway;
  private final BookingsProperties properties;
  private final Environment environment;
  private volatile CountDownLatch settled = new CountDownLatch(0);

  SpringTour(BookingService bookings, BookingTable table, JdbcEventStore store, JdbcSnapshotStore snapshots,
      PaymentGateway gateway, BookingsProperties properties, Environment environment) {
    this.bookings = bookings;
    this.table = table;
    this.store = store;
    this.snapshots = snapshots;
    this.gateway = gateway;
    this.properties = properties;
    this.environment = environment;
  }

  /** Counts settled bookings: Spring calls it after the commit of the transaction that settled one. */
  @TransactionalEventListener
  void onSettled(SettledBooking booking) {
    settled.countDown();
  }

  /** Plays the tour and tells {@code out} what happened. */
  public void run(PrintStream out) throws InterruptedException {
    settled = new CountDownLatch(3 + 1 + BEN_BOOKINGS); // acme's three on ana, globex's one, ben's
    out.println("== Bookings tour on Spring Boot: two tenants (acme, globex) on one event store, "
        + JdbcEventStore.maskCredentials(environment.getProperty("spring.datasource.url", "?")));

    out.println("-- 1. Import the legacy bookings table (migration module's Importer)");
    LegacyImport.createLegacyTable(store, "legacy_bookings");
    store.jdbi().useHandle(h -> {
      h.execute("INSERT INTO legacy_bookings VALUES (1, 'acme', 'ana', '2025-02-03T09:00', 'kim@example.com', 6000, 'completed')");
      h.execute("INSERT INTO legacy_bookings VALUES (2, 'acme', 'ana', '2025-02-03T10:00', 'lou@example.com', 6000, 'cancelled')");
      h.execute("INSERT INTO legacy_bookings VALUES (3, 'globex', 'ana', '2025-02-04T09:00', 'sam@example.com', 4500, 'completed')");
    });
    for (String tenant : List.of("acme", "globex")) {
      ImportSummary s = bookings.importLegacy(tenant, "legacy_bookings");
      out.printf("   %-6s: %d rows read, %d events written%n", tenant, s.rowsRead(), s.eventsWritten());
    }
    ImportSummary again = bookings.importLegacy("acme", "legacy_bookings");
    out.printf("   rerun acme: %d events written, %d rows already imported (idempotent)%n",
        again.eventsWritten(), again.rowsSkipped());

    out.println("-- 2. Requests: one @Transactional method appends booking + slot, enqueues the saga's first job"
        + " and writes app_bookings");
    RequestOutcome lea = bookings.request("acme", request("ana", 0, "lea@example.com", "card-ok", 8000, "req-1"));
    RequestOutcome gx = bookings.request("globex", request("ana", 0, "raj@example.com", "card-ok", 5000, "req-1"));
    RequestOutcome retry = bookings.request("acme", request("ana", 0, "lea@example.com", "card-ok", 8000, "req-1"));
    RequestOutcome twice = bookings.request("acme", request("ana", 0, "tom@example.com", "card-ok", 8000, "req-2"));
    RequestOutcome declined = bookings.request("acme", request("ana", 1, "ida@example.com", "declined-card", 7000, "req-3"));
    RequestOutcome bounce = bookings.request("acme", request("ana", 2, "max@bounce.invalid", "card-ok", 9000, "req-4"));
    out.printf("   acme   req-1 -> booking %s, ana 09:00, 80.00%n", lea.bookingId());
    out.printf("   globex req-1 -> booking %s (same key, other tenant: its own booking)%n", gx.bookingId());
    out.printf("   acme   req-1 retried -> booking %s, same receipt: %s, nothing written%n",
        retry.bookingId(), retry.equals(lea));
    out.printf("   acme   req-2 for ana 09:00 -> refused: %s%n", twice.rejection().code());
    for (int i = 0; i < BEN_BOOKINGS; i++) {
      bookings.request("acme", request("ben", i, "guest" + i + "@example.com", "card-ok", 3000, "ben-" + i));
    }
    out.println("   acme   " + BEN_BOOKINGS + " more bookings for ben (a long-lived schedule stream, snapshot every "
        + properties.getSnapshotEvery() + " events)");

    out.println("-- 3. The saga runs as @JobType handler beans on the starter's worker pool (retries, then compensation)");
    if (!settled.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("the sagas did not settle within " + WAIT);
    }
    for (RequestOutcome o : List.of(lea, declined, bounce)) {
      AggregateState<Booking> b = bookings.booking("acme", o.bookingId());
      out.printf("   %s %-9s %s (app_bookings: %s)%n", o.bookingId(), b.state().status(),
          history(store.forTenant("acme"), b.streamId()), table.status("acme", o.bookingId()).orElseThrow());
    }
    if (gateway instanceof SimulatedPaymentGateway simulated) {
      out.printf("   payments captured: %d, refunded: %d (the declined card was tried %d times)%n",
          simulated.captured(), simulated.refunded(), properties.getStepMaxAttempts());
    }

    out.println("-- 4. Tenants are isolated");
    int seen = store.forTenant("globex").readStream("booking-acme:" + lea.bookingId()).size();
    out.println("   globex reading acme's booking -> " + seen + " events (a namespace per tenant: acme's streams do not exist for globex)");

    out.println("-- 5. Snapshots: ben's schedule is loaded from a snapshot plus the events after it");
    AggregateState<Schedule> ben = bookings.schedule("acme", "ben");
    Snapshot snap = snapshots.load("acme", ben.streamId()).orElseThrow();
    out.printf("   %s: version %d, snapshot at version %d, %d events replayed, %d minutes booked%n",
        ben.streamId(), ben.version(), snap.version(), ben.version() - snap.version(), ben.state().bookedMinutes());

    out.println("-- 6. Read models (Projection beans on the starter's runner), per tenant");
    bookings.awaitReadModels(WAIT);
    ReadModels rm = bookings.readModels();
    out.printf("   free slots of ana on %s: acme %s%n", DAY, hours(rm.freeSlots("acme", "ana", DAY)));
    out.printf("   free slots of ana on %s: globex %s%n", DAY, hours(rm.freeSlots("globex", "ana", DAY)));
    out.println("   tenant  captured  refunded       net  confirmed  cancelled");
    for (String tenant : List.of("acme", "globex")) {
      ReadModels.Revenue r = rm.revenue(tenant);
      out.printf("   %-6s %9s %9s %9s %10d %10d%n", tenant, money(r.capturedCents()), money(r.refundedCents()),
          money(r.netCents()), r.confirmed(), r.cancelled());
    }

    out.println("-- 7. Reconciliation: revenue read model vs. totals summed from the events");
    Reconciliation.Report report = bookings.reconcile(WAIT);
    for (Map.Entry<String, long[]> e : report.fromEvents().entrySet()) {
      out.printf("   %-6s events: captured %s, refunded %s%n", e.getKey(), money(e.getValue()[0]), money(e.getValue()[1]));
    }
    out.println("   " + (report.passed() ? "RECONCILED: the read model matches the events at position " + report.position()
        : "DIFFERENCES:\n" + report.parity().describe()));
  }

  /** A request for the {@code hourIndex}-th slot from the tour's first day on (8 slots a day). */
  private static BookingRequest request(String staff, int hourIndex, String customer, String method, long cents,
      String key) {
    LocalDateTime slot = DAY.plusDays(hourIndex / ReadModels.SLOTS_PER_DAY)
        .atTime(ReadModels.OPENING.plusHours(hourIndex % ReadModels.SLOTS_PER_DAY));
    return new BookingRequest(staff, slot, customer, method, cents, key);
  }

  private static String history(EventStore view, String streamId) {
    return view.readStream(streamId).stream().map(RecordedEvent::type).collect(Collectors.joining(" > "));
  }

  private static String hours(List<String> slots) {
    return slots.stream().map(s -> s.substring(11)).collect(Collectors.joining(" "));
  }

  private static String money(long cents) {
    return String.format("%d.%02d", cents / 100, Math.abs(cents % 100));
  }
}
