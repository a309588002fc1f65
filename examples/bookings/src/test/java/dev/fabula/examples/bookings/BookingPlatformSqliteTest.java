package dev.fabula.examples.bookings;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The bookings story on SQLite: a fresh database file per test. */
class BookingPlatformSqliteTest extends BookingPlatformContract {
  @TempDir Path dir;

  @Override
  String url() {
    return "jdbc:sqlite:" + dir.resolve("bookings.db");
  }
}
