package dev.fabula.examples.bookings;

import dev.fabula.RecordedEvent;
import dev.fabula.examples.bookings.BookingEvent.BookingCancelled;
import dev.fabula.examples.bookings.BookingEvent.BookingConfirmed;
import dev.fabula.examples.bookings.BookingEvent.BookingImported;
import dev.fabula.examples.bookings.BookingEvent.PaymentCaptured;
import dev.fabula.examples.bookings.BookingEvent.PaymentRefunded;
import dev.fabula.examples.bookings.ScheduleEvent.SlotReleased;
import dev.fabula.examples.bookings.ScheduleEvent.SlotReserved;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import dev.fabula.projections.Projections;
import dev.fabula.projections.TransactionalHandler;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The SQL read models, fed by the projection runner from the global log. Every row carries its
 * tenant (taken from the event's metadata, which the tenant view stamped), and every query filters
 * by tenant.
 *
 * <ul>
 *   <li><b>availability</b> ({@code <prefix>availability}): which slot of which staff member is held
 *       by which booking; free slots are the opening hours minus these rows.
 *   <li><b>revenue</b> ({@code <prefix>revenue}): per tenant, cents captured and refunded, bookings
 *       confirmed and cancelled.
 * </ul>
 *
 * <p>Both are transactional projections: the rows and the checkpoint commit together, so each event
 * counts exactly once. Thread-safe.
 */
public final class ReadModels {

  /** The first slot of a day. */
  public static final LocalTime OPENING = LocalTime.of(9, 0);

  /** Slots per day: 09:00 to 16:00, an hour each. */
  public static final int SLOTS_PER_DAY = 8;

  private final JdbcEventStore store;
  private final Projections projections;
  private final String availability;
  private final String revenue;
  private final Projection availabilityProjection;
  private final Projection revenueProjection;

  /** Per tenant: what the revenue read model holds. */
  public record Revenue(String tenant, long capturedCents, long refundedCents, long confirmed, long cancelled) {
    /** Captured minus refunded. */
    public long netCents() {
      return capturedCents - refundedCents;
    }
  }

  /** Creates the read models' tables if they are missing: DDL, run by {@link BookingPlatform#migrate}. */
  public static void createTables(Handle h, String prefix) {
    h.execute("CREATE TABLE IF NOT EXISTS " + prefix + "availability ("
        + "tenant_id VARCHAR(40) NOT NULL, staff_id VARCHAR(100) NOT NULL, slot VARCHAR(16) NOT NULL, "
        + "booking_id VARCHAR(40) NOT NULL, PRIMARY KEY (tenant_id, staff_id, slot))");
    h.execute("CREATE TABLE IF NOT EXISTS " + prefix + "revenue ("
        + "tenant_id VARCHAR(40) NOT NULL PRIMARY KEY, captured_cents BIGINT NOT NULL, "
        + "refunded_cents BIGINT NOT NULL, confirmed BIGINT NOT NULL, cancelled BIGINT NOT NULL)");
  }

  /** The read models of {@code store} with tables named {@code <prefix>availability} and {@code <prefix>revenue}. */
  public ReadModels(JdbcEventStore store, Projections projections, String prefix) {
    this.store = store;
    this.projections = projections;
    this.availability = prefix + "availability";
    this.revenue = prefix + "revenue";
    this.availabilityProjection = Projection.transactional("availability",
            TransactionalHandler.eachEvent(this::applyAvailability))
        .withFilter(EventFilter.ofCategories("schedule"))
        .withReset(h -> h.execute("DELETE FROM " + availability));
    this.revenueProjection = Projection.transactional("revenue", TransactionalHandler.eachEvent(this::applyRevenue))
        .withFilter(EventFilter.ofCategories("booking"))
        .withReset(h -> h.execute("DELETE FROM " + revenue));
  }

  /** The two projections (availability, revenue), for a runner. */
  public List<Projection> projections() {
    return List.of(availabilityProjection, revenueProjection);
  }

  /** Waits until both projections have applied the event at {@code position}. */
  public void await(long position, Duration timeout) {
    projections.awaitPosition(availabilityProjection.id(), position, timeout);
    projections.awaitPosition(revenueProjection.id(), position, timeout);
  }

  /** The revenue projection, for the reconciliation. */
  Projection revenueProjection() {
    return revenueProjection;
  }

  Projections projectionsModule() {
    return projections;
  }

  /** The revenue table's name. */
  public String revenueTable() {
    return revenue;
  }

  /** The availability table's name. */
  public String availabilityTable() {
    return availability;
  }

  // ---- queries --------------------------------------------------------------------------------

  /** The free slots of a tenant's staff member on a day (opening hours minus held slots). */
  public List<String> freeSlots(String tenant, String staffId, LocalDate day) {
    Set<String> held = Set.copyOf(heldSlots(tenant, staffId));
    List<String> free = new ArrayList<>();
    for (int i = 0; i < SLOTS_PER_DAY; i++) {
      String slot = day.atTime(OPENING.plusHours(i)).toString();
      if (!held.contains(slot)) {
        free.add(slot);
      }
    }
    return free;
  }

  /** The held slots of a tenant's staff member, in order. */
  public List<String> heldSlots(String tenant, String staffId) {
    return store.jdbi().withHandle(h -> h.createQuery(
            "SELECT slot FROM " + availability + " WHERE tenant_id = :tenant AND staff_id = :staff ORDER BY slot")
        .bind("tenant", Tenants.check(tenant)).bind("staff", staffId).mapTo(String.class).list());
  }

  /** A tenant's revenue (zeros if it has none yet). */
  public Revenue revenue(String tenant) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT captured_cents, refunded_cents, confirmed, cancelled FROM "
            + revenue + " WHERE tenant_id = :tenant")
        .bind("tenant", Tenants.check(tenant))
        .map((rs, ctx) -> new Revenue(tenant, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
        .findOne().orElse(new Revenue(tenant, 0, 0, 0, 0)));
  }

  // ---- handlers -------------------------------------------------------------------------------

  private void applyAvailability(Handle h, RecordedEvent recorded) {
    String tenant = recorded.metadata().tenantId();
    Object event = store.types().decode(recorded);
    if (event instanceof SlotReserved r) {
      h.createUpdate("INSERT INTO " + availability + " (tenant_id, staff_id, slot, booking_id) "
              + "VALUES (:tenant, :staff, :slot, :booking) "
              + "ON CONFLICT (tenant_id, staff_id, slot) DO UPDATE SET booking_id = excluded.booking_id")
          .bind("tenant", tenant).bind("staff", r.staffId()).bind("slot", r.slot()).bind("booking", r.bookingId())
          .execute();
    } else if (event instanceof SlotReleased r) {
      h.createUpdate("DELETE FROM " + availability
              + " WHERE tenant_id = :tenant AND staff_id = :staff AND slot = :slot AND booking_id = :booking")
          .bind("tenant", tenant).bind("staff", r.staffId()).bind("slot", r.slot()).bind("booking", r.bookingId())
          .execute();
    }
  }

  private void applyRevenue(Handle h, RecordedEvent recorded) {
    String tenant = recorded.metadata().tenantId();
    Object event = store.types().decode(recorded);
    if (event instanceof PaymentCaptured c) {
      add(h, tenant, c.amountCents(), 0, 0, 0);
    } else if (event instanceof PaymentRefunded r) {
      add(h, tenant, 0, r.amountCents(), 0, 0);
    } else if (event instanceof BookingConfirmed) {
      add(h, tenant, 0, 0, 1, 0);
    } else if (event instanceof BookingCancelled) {
      add(h, tenant, 0, 0, 0, 1);
    } else if (event instanceof BookingImported i) {
      boolean cancelled = "cancelled".equals(i.status());
      add(h, tenant, cancelled ? 0 : i.priceCents(), 0, cancelled ? 0 : 1, cancelled ? 1 : 0);
    }
  }

  private void add(Handle h, String tenant, long captured, long refunded, long confirmed, long cancelled) {
    h.createUpdate("INSERT INTO " + revenue + " (tenant_id, captured_cents, refunded_cents, confirmed, cancelled) "
            + "VALUES (:tenant, :captured, :refunded, :confirmed, :cancelled) "
            + "ON CONFLICT (tenant_id) DO UPDATE SET "
            + "captured_cents = " + revenue + ".captured_cents + excluded.captured_cents, "
            + "refunded_cents = " + revenue + ".refunded_cents + excluded.refunded_cents, "
            + "confirmed = " + revenue + ".confirmed + excluded.confirmed, "
            + "cancelled = " + revenue + ".cancelled + excluded.cancelled")
        .bind("tenant", tenant).bind("captured", captured).bind("refunded", refunded).bind("confirmed", confirmed)
        .bind("cancelled", cancelled).execute();
  }
}
