package dev.fabula.examples.bookings.spring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The bookings story on the Spring application, on a fresh SQLite file. */
class BookingsSpringSqliteTest extends BookingsSpringContract {

  @DynamicPropertySource
  static void sqlite(DynamicPropertyRegistry registry) throws IOException {
    registry.add("spring.datasource.url", () -> {
      try {
        return sqliteUrl(Files.createTempDirectory("bookings-spring-").resolve("bookings.db"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** A SQLite URL with the connection options of application.properties. */
  static String sqliteUrl(Path file) {
    return "jdbc:sqlite:" + file
        + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&transaction_mode=IMMEDIATE&foreign_keys=true";
  }
}
