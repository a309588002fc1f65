package dev.fabula.examples.bookings.spring;

import dev.fabula.AggregateState;
import dev.fabula.ConcurrencyException;
import dev.fabula.Decision;
import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.EventIdConflictException;
import dev.fabula.ExpectedVersion;
import dev.fabula.Metadata;
import dev.fabula.StreamAppend;
import dev.fabula.examples.bookings.BookingAggregate;
import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.BookingEvent;
import dev.fabula.examples.bookings.BookingEvent.BookingRequested;
import dev.fabula.examples.bookings.BookingPlatform;
import dev.fabula.examples.bookings.BookingRequest;
import dev.fabula.examples.bookings.LegacyImport;
import dev.fabula.examples.bookings.ReadModels;
import dev.fabula.examples.bookings.Reconciliation;
import dev.fabula.examples.bookings.RequestOutcome;
import dev.fabula.examples.bookings.ScheduleEvent;
import dev.fabula.examples.bookings.StaffScheduleAggregate;
import dev.fabula.examples.bookings.StaffScheduleAggregate.Schedule;
import dev.fabula.examples.bookings.Tenants;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.ImportSummary;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The platform's API, as the plain example's {@code BookingPlatform} offers it: book a slot, load a
 * booking or a schedule, read the read models, reconcile, import the legacy table. The writes are
 * {@link BookingTransactions}' {@code @Transactional} methods; this service decides what to write
 * on committed state, outside any transaction, and runs a write again when another writer got
 * there first. Thread-safe.
 */
@Service
public class BookingService {
  private static final int MAX_ATTEMPTS = 20;
  private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  private final JdbcEventStore store;
  private final BookingRepositories repositories;
  private final BookingTransactions transactions;
  private final ReadModels readModels;
  private final BookingTable table;
  private final String tablePrefix;

  BookingService(JdbcEventStore store, BookingRepositories repositories, BookingTransactions transactions,
      ReadModels readModels, BookingTable table, JdbcConfig jdbc) {
    this.store = store;
    this.table = table;
    this.repositories = repositories;
    this.transactions = transactions;
    this.readModels = readModels;
    this.tablePrefix = jdbc.tablePrefix();
  }

  /**
   * Books a slot: the booking stream gets {@code booking-requested}, the staff schedule {@code
   * slot-reserved}, the queue the saga's first job with its compensation, and the application's
   * table a row, in one transaction. A retry with the same idempotency key returns the same outcome
   * and writes nothing; a slot held by another booking is refused with {@code slot-taken}.
   */
  public RequestOutcome request(String tenant, BookingRequest request) {
    Tenants.check(tenant);
    String bookingId = BookingPlatform.bookingIdFor(tenant, request.idempotencyKey());
    String slot = request.slot().format(SLOT);
    BookingRequested requested = new BookingRequested(bookingId, request.staffId(), slot, request.customer(),
        request.paymentMethod(), request.priceCents(), request.idempotencyKey());
    Metadata metadata = Metadata.EMPTY.withCorrelationId(bookingId).withCausationId(request.idempotencyKey())
        .withActor("client"); // never the customer's address: metadata is not encrypted
    for (int attempt = 1; ; attempt++) {
      // Decide on committed state, outside the transaction: the appends' expected versions make
      // the transaction fail if either stream moved in between.
      AggregateState<Booking> booking = repositories.bookings(tenant).load(BookingPlatform.key(tenant, bookingId));
      Decision<BookingEvent> decision = BookingRepositories.booking().decide(booking.state(),
          new BookingAggregate.Request(requested));
      if (decision instanceof Decision.Reject<BookingEvent> refused) {
        return new RequestOutcome(bookingId, null, refused.rejection());
      }
      List<BookingEvent> bookingEvents = ((Decision.Accept<BookingEvent>) decision).events();
      if (bookingEvents.isEmpty()) {
        return booked(requested); // a retry of a request that is already booked
      }
      AggregateState<Schedule> schedule = repositories.schedules(tenant).load(BookingPlatform.key(tenant, request.staffId()));
      Decision<ScheduleEvent> reserve = BookingRepositories.schedule().decide(schedule.state(),
          new StaffScheduleAggregate.Reserve(request.staffId(), slot, bookingId, BookingPlatform.SLOT_MINUTES));
      if (reserve instanceof Decision.Reject<ScheduleEvent> refused) {
        return new RequestOutcome(bookingId, null, refused.rejection());
      }
      List<StreamAppend> appends = new ArrayList<>();
      appends.add(new StreamAppend(booking.streamId(), expected(booking.version()),
          BookingPlatform.eventData(booking.streamId(), bookingId, bookingEvents, metadata)));
      List<ScheduleEvent> scheduleEvents = ((Decision.Accept<ScheduleEvent>) reserve).events();
      if (!scheduleEvents.isEmpty()) {
        appends.add(new StreamAppend(schedule.streamId(), expected(schedule.version()),
            BookingPlatform.eventData(schedule.streamId(), bookingId, scheduleEvents, metadata)));
      }
      try {
        transactions.request(tenant, requested, appends);
        return booked(requested);
      } catch (ConcurrencyException | EventIdConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e; // another writer won every time: give up loudly
        }
        // Spring rolled the attempt back; decide again on fresh state.
      }
    }
  }

  /**
   * Erases a guest on their request, in the tenant only, as the plain example's {@code
   * BookingPlatform.eraseGuest} does: the booking's events keep their status, slot and amounts, and
   * the customer's address reads {@code null} for good (its key is deleted, docs/personal-data.md);
   * the booking's saga jobs are erased with it (run it for a settled booking); and the application's
   * own table, which the store does not know, has its address blanked. Idempotent.
   *
   * @param by who asked, kept in the erasure record (a role or a ticket)
   */
  public ErasureRecord eraseGuest(String tenant, String bookingId, String by) {
    ErasureRecord record = store.forTenant(Tenants.check(tenant)).erase(Erasure.subject(bookingId).by(by));
    table.forgetCustomer(tenant, bookingId);
    return record;
  }

  /** A booking of a tenant (version 0 and status NONE if there is none). */
  public AggregateState<Booking> booking(String tenant, String bookingId) {
    return repositories.bookings(tenant).load(BookingPlatform.key(tenant, bookingId));
  }

  /** A staff member's schedule, loaded from its snapshot plus the events after it. */
  public AggregateState<Schedule> schedule(String tenant, String staffId) {
    return repositories.schedules(tenant).load(BookingPlatform.key(tenant, staffId));
  }

  /** The read models (availability, revenue), per tenant. */
  public ReadModels readModels() {
    return readModels;
  }

  /** Waits until both read models have applied every event appended so far. */
  public void awaitReadModels(Duration timeout) {
    readModels.await(store.headPosition(), timeout);
  }

  /** Checks the revenue read model against the totals of the events, per tenant. */
  public Reconciliation.Report reconcile(Duration timeout) {
    return new Reconciliation(store, readModels, tablePrefix).run(timeout);
  }

  /** Imports a tenant's rows of the legacy bookings table into events; rerunning it writes nothing. */
  public ImportSummary importLegacy(String tenant, String legacyTable) {
    return LegacyImport.run(store, tenant, legacyTable);
  }

  private static ExpectedVersion expected(long version) {
    return version == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
  }

  private static RequestOutcome booked(BookingRequested r) {
    return new RequestOutcome(r.bookingId(), new RequestOutcome.Receipt(r.bookingId(), r.staffId(), r.slot(),
        r.priceCents()), null);
  }
}
