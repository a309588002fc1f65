package dev.fabula.examples.bookings.spring;

import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The bookings story on the Spring application, on a fresh database of the testkit's embedded PostgreSQL. */
class BookingsSpringPostgresTest extends BookingsSpringContract {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    PostgresDatabase db = PostgresServer.shared().createDatabase();
    registry.add("spring.datasource.url", db::jdbcUrl);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", () -> db.password() == null ? "" : db.password());
  }
}
