package dev.fabula.examples.bookings;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bookings story on PostgreSQL: one database for the class, a table prefix per test. */
class BookingPlatformPostgresTest extends BookingPlatformContract {
  @RegisterExtension static PostgresExtension pg = new PostgresExtension();

  @Override
  String url() {
    return pg.database().jdbcUrlWithCredentials();
  }
}
