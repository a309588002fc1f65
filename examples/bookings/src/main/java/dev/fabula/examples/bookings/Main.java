package dev.fabula.examples.bookings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the bookings tour: on {@code target/bookings.db} (deleted first) by default, or on the JDBC
 * URL given as the first argument (an empty PostgreSQL database, for example). With {@code
 * -Dconsole=<port>}, it then serves the admin console over the tour's data until Enter is pressed.
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
    String consolePort = System.getProperty("console");
    if (consolePort != null) {
      AdminConsole.serve(url, Integer.parseInt(consolePort), System.out, (uri, token) -> {
        System.out.println("Press Enter to stop the console.");
        try {
          System.in.read();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
  }
}
