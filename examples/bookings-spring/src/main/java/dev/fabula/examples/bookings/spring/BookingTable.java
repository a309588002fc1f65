package dev.fabula.examples.bookings.spring;

import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.BookingEvent.BookingRequested;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The application's own table of bookings ({@code app_bookings}, created by {@code schema.sql}):
 * what the platform's screens and reports read, one row per booking with its current status. The
 * {@link BookingTransactions} write it in the same Spring transaction as the events, so the row and
 * the stream never disagree: the table is the plain example's "transactional tables" kept beside
 * the event store while the platform moves over, not a projection. Plain {@link JdbcTemplate}.
 */
@Repository
public class BookingTable {
  private final JdbcTemplate jdbc;

  BookingTable(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Adds a requested booking, unless the table has it: a retried request whose events the store
   * already holds appends nothing (the store's idempotent append) and must write nothing here either.
   */
  void insert(String tenant, BookingRequested r) {
    jdbc.update("INSERT INTO app_bookings (tenant_id, booking_id, staff_id, slot, customer, price_cents, status) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, booking_id) DO NOTHING",
        tenant, r.bookingId(), r.staffId(), r.slot(), r.customer(), r.priceCents(), Status.REQUESTED.name());
  }

  /** Moves a booking to {@code status}. */
  void setStatus(String tenant, String bookingId, Status status) {
    jdbc.update("UPDATE app_bookings SET status = ? WHERE tenant_id = ? AND booking_id = ?",
        status.name(), tenant, bookingId);
  }

  /** Blanks a booking's customer address (an erased guest's): the column reads {@code ""} from then on. */
  void forgetCustomer(String tenant, String bookingId) {
    jdbc.update("UPDATE app_bookings SET customer = '' WHERE tenant_id = ? AND booking_id = ?", tenant, bookingId);
  }

  /** A tenant's booking's customer address ({@code ""} once erased), if the table has the booking. */
  public Optional<String> customer(String tenant, String bookingId) {
    return jdbc.queryForList("SELECT customer FROM app_bookings WHERE tenant_id = ? AND booking_id = ?", String.class,
        tenant, bookingId).stream().findFirst();
  }

  /** A tenant's booking's status, if the table has the booking. */
  public Optional<Status> status(String tenant, String bookingId) {
    return jdbc.queryForList("SELECT status FROM app_bookings WHERE tenant_id = ? AND booking_id = ?", String.class,
        tenant, bookingId).stream().findFirst().map(Status::valueOf);
  }

  /** How many bookings a tenant has in the table. */
  public long count(String tenant) {
    Long n = jdbc.queryForObject("SELECT COUNT(*) FROM app_bookings WHERE tenant_id = ?", Long.class, tenant);
    return n == null ? 0 : n;
  }
}
