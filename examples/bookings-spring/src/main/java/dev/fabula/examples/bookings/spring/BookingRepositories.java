package dev.fabula.examples.bookings.spring;

import dev.fabula.AggregateRepository;
import dev.fabula.RepositoryConfig;
import dev.fabula.examples.bookings.BookingAggregate;
import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.BookingEvent;
import dev.fabula.examples.bookings.ScheduleEvent;
import dev.fabula.examples.bookings.StaffScheduleAggregate;
import dev.fabula.examples.bookings.StaffScheduleAggregate.Schedule;
import dev.fabula.examples.bookings.Tenants;
import dev.fabula.jdbc.JdbcEventStore;
import org.springframework.stereotype.Component;

/**
 * The plain example's aggregates on a tenant's view of the store: every read and write of a
 * tenant goes through {@code store.forTenant(tenant)}, so tenants never see each other's streams.
 */
@Component
public class BookingRepositories {
  private static final BookingAggregate BOOKING = new BookingAggregate();
  private static final StaffScheduleAggregate SCHEDULE = new StaffScheduleAggregate();

  private final JdbcEventStore store;
  private final RepositoryConfig scheduleConfig;

  BookingRepositories(JdbcEventStore store, RepositoryConfig scheduleRepositoryConfig) {
    this.store = store;
    this.scheduleConfig = scheduleRepositoryConfig;
  }

  /** The bookings of {@code tenant}. */
  public AggregateRepository<Booking, BookingAggregate.Command, BookingEvent> bookings(String tenant) {
    return AggregateRepository.of(store.forTenant(Tenants.check(tenant)), BOOKING);
  }

  /** The staff schedules of {@code tenant}, loaded from their snapshots. */
  public AggregateRepository<Schedule, StaffScheduleAggregate.Command, ScheduleEvent> schedules(String tenant) {
    return AggregateRepository.of(store.forTenant(Tenants.check(tenant)), SCHEDULE, scheduleConfig);
  }

  /** The booking aggregate (its decider). */
  static BookingAggregate booking() {
    return BOOKING;
  }

  /** The staff schedule aggregate (its decider). */
  static StaffScheduleAggregate schedule() {
    return SCHEDULE;
  }
}
