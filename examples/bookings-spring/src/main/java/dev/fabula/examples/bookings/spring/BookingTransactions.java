package dev.fabula.examples.bookings.spring;

import dev.fabula.CommandMetadata;
import dev.fabula.StreamAppend;
import dev.fabula.examples.bookings.BookingAggregate;
import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.BookingEvent.BookingRequested;
import dev.fabula.examples.bookings.BookingPlatform;
import dev.fabula.examples.bookings.BookingPlatform.SettledBooking;
import dev.fabula.examples.bookings.PlatformConfig.FaultInjector;
import dev.fabula.examples.bookings.StaffScheduleAggregate;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every write of the platform, one {@code @Transactional} method each: the events (through a
 * tenant's unit of work, which joins Spring's transaction), the saga's next job and its
 * compensation (the outbox), and the application's own {@link BookingTable} row commit together
 * or not at all. Where the plain example writes {@code store.inTransaction(tx -> …)}, here Spring
 * opens the transaction and the store, the queue and the {@code JdbcTemplate} all work in it.
 *
 * <p>A booking that reaches CONFIRMED or CANCELLED is published as a {@link SettledBooking}
 * application event; {@code @TransactionalEventListener}s hear of it after the commit only.
 *
 * <p>Methods decide nothing on state read inside the transaction that another writer could change
 * unnoticed: an append with a stale expected version throws {@code ConcurrencyException}, Spring
 * rolls back, and the caller runs the method again ({@link SagaJobs#retryOnConflict}).
 */
@Service
public class BookingTransactions {
  private final JdbcEventStore store;
  private final BookingRepositories repositories;
  private final SagaJobs saga;
  private final BookingTable table;
  private final ApplicationEventPublisher events;
  private final FaultInjector faults;

  BookingTransactions(JdbcEventStore store, BookingRepositories repositories, SagaJobs saga, BookingTable table,
      ApplicationEventPublisher events, FaultInjector faults) {
    this.store = store;
    this.repositories = repositories;
    this.saga = saga;
    this.table = table;
    this.events = events;
    this.faults = faults;
  }

  /** A booking request: its events (booking and schedule), the saga's first job, and the table row. */
  @Transactional
  public void request(String tenant, BookingRequested requested, List<StreamAppend> appends) {
    store.forTenant(tenant).inTransaction(tx -> {
      // A retried request whose events are stored already (the same event ids) replays them and
      // writes nothing: then its first job was enqueued with them, and may have run by now.
      if (tx.appendAll(appends).stream().anyMatch(r -> !r.replayed())) {
        saga.enqueue(tx, BookingPlatform.CAPTURE_PAYMENT, tenant, requested.bookingId());
      }
      return null;
    });
    table.insert(tenant, requested);
    faults.beforeCommit("booking-requested", requested.bookingId());
  }

  /** The captured payment, the confirmation step and the row's new status; false if it was recorded before. */
  @Transactional
  public boolean paymentCaptured(SagaJobs.Step step, String paymentRef, CommandMetadata metadata) {
    boolean recorded = store.forTenant(step.tenant()).inTransaction(tx -> {
      boolean changed = SagaJobs.changed(repositories.bookings(step.tenant()).handle(tx, step.key(),
          new BookingAggregate.RecordPayment(paymentRef), metadata));
      if (changed) {
        saga.enqueue(tx, BookingPlatform.SEND_CONFIRMATION, step.tenant(), step.bookingId());
      }
      return changed;
    });
    if (recorded) {
      table.setStatus(step.tenant(), step.bookingId(), Status.PAID);
    }
    faults.beforeCommit("payment-captured", step.bookingId());
    return recorded;
  }

  /** The confirmation and the row's new status; false if it was recorded before. */
  @Transactional
  public boolean confirmed(SagaJobs.Step step, CommandMetadata metadata) {
    boolean confirmed = store.forTenant(step.tenant()).inTransaction(tx -> SagaJobs.changed(
        repositories.bookings(step.tenant()).handle(tx, step.key(), new BookingAggregate.Confirm(), metadata)));
    if (confirmed) {
      table.setStatus(step.tenant(), step.bookingId(), Status.CONFIRMED);
      events.publishEvent(new SettledBooking(step.tenant(), step.bookingId(), Status.CONFIRMED));
    }
    faults.beforeCommit("booking-confirmed", step.bookingId());
    return confirmed;
  }

  /**
   * The compensation: the failure (and refund) on the booking, the slot released on the staff
   * schedule, and the row's new status; false if the booking was cancelled before.
   */
  @Transactional
  public boolean cancelled(SagaJobs.Step step, BookingAggregate.Compensate command, BookingRequested booking,
      CommandMetadata metadata) {
    boolean cancelled = store.forTenant(step.tenant()).inTransaction(tx -> {
      if (!SagaJobs.changed(repositories.bookings(step.tenant()).handle(tx, step.key(), command, metadata))) {
        return false;
      }
      repositories.schedules(step.tenant()).handle(tx, BookingPlatform.key(step.tenant(), booking.staffId()),
          new StaffScheduleAggregate.Release(booking.staffId(), booking.slot(), step.bookingId()), metadata).orThrow();
      return true;
    });
    if (cancelled) {
      table.setStatus(step.tenant(), step.bookingId(), Status.CANCELLED);
      events.publishEvent(new SettledBooking(step.tenant(), step.bookingId(), Status.CANCELLED));
    }
    faults.beforeCommit("booking-cancelled", step.bookingId());
    return cancelled;
  }
}
