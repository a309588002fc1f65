package dev.fabula.examples.bookings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the bookings tour: on {@code target/bookings.db} (deleted first) by default, or on the JDBC
 * URL given as the first argument (an empty PostgreSQL database, for example).
 */
public final class Main {
  private Main() {}

  /** Runs the tour. */
  public static void main(String[] args) throws IOException {
    String url;
    if (args.length > 0) {
      url = args[0];
    } else {
      Path db = Path.of("target", "bookings.db");
      Files.createDirectories(db.getParent());
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(Path.of(db + suffix));
      }
      url = "jdbc:sqlite:" + db;
    }
    Tour.run(url, System.out);
  }
}
