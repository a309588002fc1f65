package dev.fabula.examples.bookings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.BookingPlatform.SettledBooking;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobState;
import dev.fabula.testkit.postgres.ApplicationRoles;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The platform under least privilege: the owner migrates, the application role books through the saga and outbox. */
class BookingPlatformRolesTest {
  @RegisterExtension static PostgresExtension pg = new PostgresExtension();

  @Test
  void books_through_the_saga_and_outbox_as_the_application_role() throws Exception {
    try (ApplicationRoles roles = ApplicationRoles.create(pg.database())) {
      PlatformConfig config = BookingPlatformContract.testConfig();
      BookingPlatform.migrate(roles.ownerUrl(), config);
      roles.revokeEventChanges(config.tablePrefix());

      SimulatedPaymentGateway gateway = new SimulatedPaymentGateway();
      BlockingQueue<SettledBooking> settled = new LinkedBlockingQueue<>();
      try (BookingPlatform platform = BookingPlatform.open(roles.appUrl(), config, gateway, (tenant, booking) -> {})) {
        platform.onSettled(settled::add);
        platform.start();
        RequestOutcome lea = platform.request("acme",
            BookingPlatformContract.request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1"));

        assertThat(settled.poll(30, TimeUnit.SECONDS)).isEqualTo(new SettledBooking("acme", lea.bookingId(), Status.CONFIRMED));
        assertThat(platform.store().forTenant("acme").readStream("booking-acme:" + lea.bookingId()))
            .extracting(e -> e.type()).containsExactly("booking-requested", "payment-captured", "booking-confirmed");
        platform.stopWorkers();
        assertThat(platform.queue().list(JobQuery.ALL.withType(BookingPlatform.SEND_CONFIRMATION))).singleElement()
            .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
        platform.awaitReadModels(Duration.ofSeconds(30));
        assertThat(platform.readModels().revenue("acme")).isEqualTo(new ReadModels.Revenue("acme", 8000, 0, 1, 0));
      }
      roles.assertEventsCannotChange(config.tablePrefix());
    }
  }
}
