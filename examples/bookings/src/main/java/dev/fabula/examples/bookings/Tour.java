package dev.fabula.examples.bookings;

import dev.fabula.AggregateState;
import dev.fabula.EventStore;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.StaffScheduleAggregate.Schedule;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.ImportSummary;
import dev.fabula.scheduler.RetryPolicy;
import dev.fabula.spi.Snapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * A short scripted run of the booking platform: a legacy import, two tenants booking, a retried
 * request, a refused double booking, the saga's happy and compensating paths, a snapshot load,
 * the read models and the reconciliation. It needs an empty database and closes all it opens.
 */
public final class Tour {
  private static final LocalDate DAY = LocalDate.of(2025, 3, 10);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int BEN_BOOKINGS = 25;

  private Tour() {}

  /** Plays the tour on {@code jdbcUrl} (an empty database) and tells {@code out} what happened. */
  public static void run(String jdbcUrl, PrintStream out) {
    run(jdbcUrl, out, (platform, story) -> story.run());
  }

  /**
   * Plays the tour as {@link #run(String, PrintStream)} does, but hands the open platform and the
   * story to {@code around}, which runs the story (once) and may do more before and after it while
   * the platform is open: {@link Main} serves the admin console and the meters there.
   */
  public static void run(String jdbcUrl, PrintStream out, BiConsumer<BookingPlatform, Runnable> around) {
    PlatformConfig config = PlatformConfig.DEFAULT
        .withSnapshotEvery(10)
        // Production retries after 60, 120, 240 s; the tour retries after 20 and 40 ms.
        .withStepRetries(RetryPolicy.DEFAULT.withMaxAttempts(3).withBaseDelay(Duration.ofMillis(20)))
        .withPollInterval(Duration.ofMillis(20));
    SimulatedPaymentGateway gateway = new SimulatedPaymentGateway();
    ConfirmationSender sender = (tenant, booking) -> {
      if (booking.customer().endsWith("@bounce.invalid")) {
        throw new IllegalStateException("mailbox " + booking.customer() + " does not exist");
      }
    };
    BookingPlatform.migrate(jdbcUrl, config);
    try (BookingPlatform platform = BookingPlatform.open(jdbcUrl, config, gateway, sender)) {
      around.accept(platform, () -> play(platform, config, gateway, jdbcUrl, out));
    }
  }

  private static void play(
      BookingPlatform platform, PlatformConfig config, SimulatedPaymentGateway gateway, String jdbcUrl, PrintStream out) {
    try {
      int sagas = 3 + 1 + BEN_BOOKINGS; // acme's three on ana, globex's one, ben's
      CountDownLatch settled = new CountDownLatch(sagas);
      platform.onSettled(s -> settled.countDown());
      platform.start();
      out.println("== Bookings tour: two tenants (acme, globex) on one event store, " + JdbcEventStore.maskCredentials(jdbcUrl));

      out.println("-- 1. Import the legacy bookings table (migration module's Importer)");
      LegacyImport.createLegacyTable(platform.store(), "legacy_bookings");
      platform.store().jdbi().useHandle(h -> {
        h.execute("INSERT INTO legacy_bookings VALUES (1, 'acme', 'ana', '2025-02-03T09:00', 'kim@example.com', 6000, 'completed')");
        h.execute("INSERT INTO legacy_bookings VALUES (2, 'acme', 'ana', '2025-02-03T10:00', 'lou@example.com', 6000, 'cancelled')");
        h.execute("INSERT INTO legacy_bookings VALUES (3, 'globex', 'ana', '2025-02-04T09:00', 'sam@example.com', 4500, 'completed')");
      });
      for (String tenant : List.of("acme", "globex")) {
        ImportSummary s = platform.importLegacy(tenant, "legacy_bookings");
        out.printf("   %-6s: %d rows read, %d events written%n", tenant, s.rowsRead(), s.eventsWritten());
      }
      ImportSummary again = platform.importLegacy("acme", "legacy_bookings");
      out.printf("   rerun acme: %d events written, %d rows already imported (idempotent)%n",
          again.eventsWritten(), again.rowsSkipped());

      out.println("-- 2. Requests: one transaction appends booking + slot and enqueues the saga's first job");
      RequestOutcome lea = platform.request("acme", request("ana", 0, "lea@example.com", "card-ok", 8000, "req-1"));
      RequestOutcome gx = platform.request("globex", request("ana", 0, "raj@example.com", "card-ok", 5000, "req-1"));
      RequestOutcome retry = platform.request("acme", request("ana", 0, "lea@example.com", "card-ok", 8000, "req-1"));
      RequestOutcome twice = platform.request("acme", request("ana", 0, "tom@example.com", "card-ok", 8000, "req-2"));
      RequestOutcome declined = platform.request("acme", request("ana", 1, "ida@example.com", "declined-card", 7000, "req-3"));
      RequestOutcome bounce = platform.request("acme", request("ana", 2, "max@bounce.invalid", "card-ok", 9000, "req-4"));
      out.printf("   acme   req-1 -> booking %s, ana 09:00, 80.00%n", lea.bookingId());
      out.printf("   globex req-1 -> booking %s (same key, other tenant: its own booking)%n", gx.bookingId());
      out.printf("   acme   req-1 retried -> booking %s, same receipt: %s, nothing written%n",
          retry.bookingId(), retry.equals(lea));
      out.printf("   acme   req-2 for ana 09:00 -> refused: %s%n", twice.rejection().code());
      for (int i = 0; i < BEN_BOOKINGS; i++) {
        platform.request("acme", request("ben", i, "guest" + i + "@example.com", "card-ok", 3000, "ben-" + i));
      }
      out.println("   acme   " + BEN_BOOKINGS + " more bookings for ben (a long-lived schedule stream, snapshot every 10 events)");

      out.println("-- 3. The saga runs on the job queue (retries, then compensation)");
      if (!settled.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the sagas did not settle within " + WAIT);
      }
      platform.stopWorkers(); // running steps finish and their outcomes are recorded
      for (RequestOutcome o : List.of(lea, declined, bounce)) {
        AggregateState<Booking> b = platform.booking("acme", o.bookingId());
        out.printf("   %s %-9s %s%n", o.bookingId(), b.state().status(), history(platform.store().forTenant("acme"), b.streamId()));
      }
      out.printf("   payments captured: %d, refunded: %d (the declined card was tried %d times)%n",
          gateway.captured(), gateway.refunded(), config.stepRetries().maxAttempts());

      out.println("-- 4. Tenants are isolated");
      int seen = platform.store().forTenant("globex").readStream("booking-acme:" + lea.bookingId()).size();
      out.println("   globex reading acme's booking -> " + seen + " events (a namespace per tenant: acme's streams do not exist for globex)");

      out.println("-- 5. Snapshots: ben's schedule is loaded from a snapshot plus the events after it");
      AggregateState<Schedule> ben = platform.schedule("acme", "ben");
      Snapshot snap = platform.snapshots().load("acme", ben.streamId()).orElseThrow();
      out.printf("   %s: version %d, snapshot at version %d, %d events replayed, %d minutes booked%n",
          ben.streamId(), ben.version(), snap.version(), ben.version() - snap.version(), ben.state().bookedMinutes());

      out.println("-- 6. Read models (projections), per tenant");
      platform.awaitReadModels(WAIT);
      ReadModels rm = platform.readModels();
      out.printf("   free slots of ana on %s: acme %s%n", DAY, hours(rm.freeSlots("acme", "ana", DAY)));
      out.printf("   free slots of ana on %s: globex %s%n", DAY, hours(rm.freeSlots("globex", "ana", DAY)));
      out.println("   tenant  captured  refunded       net  confirmed  cancelled");
      for (String tenant : List.of("acme", "globex")) {
        ReadModels.Revenue r = rm.revenue(tenant);
        out.printf("   %-6s %9s %9s %9s %10d %10d%n", tenant, money(r.capturedCents()), money(r.refundedCents()),
            money(r.netCents()), r.confirmed(), r.cancelled());
      }

      out.println("-- 7. Reconciliation: revenue read model vs. totals summed from the events");
      Reconciliation.Report report = platform.reconcile(WAIT);
      for (Map.Entry<String, long[]> e : report.fromEvents().entrySet()) {
        out.printf("   %-6s events: captured %s, refunded %s%n", e.getKey(), money(e.getValue()[0]),
            money(e.getValue()[1]));
      }
      out.println("   " + (report.passed() ? "RECONCILED: the read model matches the events at position " + report.position()
          : "DIFFERENCES:\n" + report.parity().describe()));

      out.println("-- 8. A guest asks to be forgotten (crypto-shredding: docs/personal-data.md)");
      String before = platform.booking("acme", lea.bookingId()).state().request().customer();
      platform.eraseGuest("acme", lea.bookingId(), "dpo:ticket-1");
      Booking erased = platform.booking("acme", lea.bookingId()).state();
      out.printf("   %s customer %s -> %s; still %s, %s (the address's key is deleted, the booking stays)%n",
          lea.bookingId(), before, erased.request().customer(), erased.status(), money(erased.request().priceCents()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
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
