package dev.fabula.examples.bookings.spring;

import dev.fabula.EventTypes;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.examples.bookings.BookingPlatform;
import dev.fabula.examples.bookings.ConfirmationSender;
import dev.fabula.examples.bookings.PaymentGateway;
import dev.fabula.examples.bookings.PlatformConfig.FaultInjector;
import dev.fabula.examples.bookings.ReadModels;
import dev.fabula.examples.bookings.SimulatedPaymentGateway;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.Projections;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.spring.boot.autoconfigure.FabulaProperties;
import dev.fabula.spring.boot.autoconfigure.FabulaSchedulerAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans the plain example builds by hand in {@code BookingPlatform}'s constructor. The starter
 * supplies the store, the job queue, the projections module, the worker pool and the projection
 * runner; this class adds the platform's own parts: its event types (the starter hands them to the
 * store), the saga steps' retry policies, the snapshot store of the staff schedules, the read
 * models and their two {@link Projection} beans (the starter's runner runs every such bean), the
 * payment provider and the confirmation sender.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BookingsProperties.class)
public class BookingsConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(BookingsConfiguration.class);

  /** The booking and schedule events: the starter's store decodes them. */
  @Bean
  EventTypes bookingEventTypes() {
    return BookingPlatform.eventTypes();
  }

  /**
   * The plain example's personal data policy, which the starter puts in the store's configuration:
   * the customer's address is stored encrypted with a key of its booking (docs/personal-data.md),
   * and {@link BookingService#eraseGuest} can forget it.
   */
  @Bean
  PersonalDataPolicy bookingPersonalData() {
    return BookingPlatform.personalData();
  }

  /**
   * The queue's configuration: what {@code fabula.scheduler.*} sets, plus the saga steps' retry
   * policy. (The starter has no property for per-type retry policies, so this bean starts from the
   * starter's own and adds them; the starter backs off when the application defines one.)
   */
  @Bean
  JobQueueConfig bookingJobQueueConfig(FabulaProperties fabula, BookingsProperties bookings) {
    JobQueueConfig fromProperties = new FabulaSchedulerAutoConfiguration().fabulaJobQueueConfig(fabula);
    return fromProperties
        .withRetryPolicy(BookingPlatform.CAPTURE_PAYMENT, bookings.stepRetries())
        .withRetryPolicy(BookingPlatform.SEND_CONFIRMATION, bookings.stepRetries())
        .withRetryPolicy(BookingPlatform.COMPENSATE, bookings.stepRetries());
  }

  /** Snapshots of the staff schedules. */
  @Bean
  JdbcSnapshotStore scheduleSnapshots(JdbcEventStore store) {
    return JdbcSnapshotStore.open(store);
  }

  /** How staff schedules are loaded: from a snapshot taken every {@code bookings.snapshot-every} events. */
  @Bean
  RepositoryConfig scheduleRepositoryConfig(JdbcSnapshotStore snapshots, BookingsProperties bookings) {
    return RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(bookings.getSnapshotEvery()));
  }

  /**
   * The plain example's read models, with the store's table prefix. Their tables are created here
   * when the store migrates on open ({@code fabula.jdbc.migrate-on-open}); otherwise the deploy
   * step that migrates the store creates them ({@code BookingPlatform.migrate}).
   */
  @Bean
  ReadModels readModels(JdbcEventStore store, Projections projections, JdbcConfig jdbc) {
    if (jdbc.migrateOnOpen()) {
      store.jdbi().useHandle(h -> ReadModels.createTables(h, jdbc.tablePrefix()));
    }
    return new ReadModels(store, projections, jdbc.tablePrefix());
  }

  /** The availability read model, run by the starter's projection runner. */
  @Bean
  Projection availabilityProjection(ReadModels readModels) {
    return readModels.projections().get(0);
  }

  /** The revenue read model, run by the starter's projection runner. */
  @Bean
  Projection revenueProjection(ReadModels readModels) {
    return readModels.projections().get(1);
  }

  /** The payment provider: the plain example's in-memory stand-in. */
  @Bean
  PaymentGateway paymentGateway() {
    return new SimulatedPaymentGateway();
  }

  /** The confirmation sender: a stand-in that logs; a mailbox ending in {@code @bounce.invalid} does not exist. */
  @Bean
  ConfirmationSender confirmationSender() {
    return (tenant, booking) -> {
      if (booking.customer().endsWith("@bounce.invalid")) {
        throw new IllegalStateException("mailbox " + booking.customer() + " does not exist");
      }
      LOG.info("Confirmation of {} sent to {}", booking.bookingId(), booking.customer());
    };
  }

  /** No injected crashes (tests replace this bean). */
  @Bean
  FaultInjector faultInjector() {
    return FaultInjector.NONE;
  }
}
