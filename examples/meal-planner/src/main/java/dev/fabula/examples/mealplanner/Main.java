package dev.fabula.examples.mealplanner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the {@link Tour}: on {@code jdbc:sqlite:target/meal-planner.db} (deleted first) by default,
 * or on the JDBC URL given as the first argument, such as
 * {@code jdbc:postgresql://localhost/meals?user=me&password=secret}.
 */
public final class Main {
  private Main() {}

  /** Runs the tour. */
  public static void main(String[] args) throws IOException {
    String url;
    if (args.length > 0) {
      url = args[0];
    } else {
      Path file = Path.of("target", "meal-planner.db");
      Files.createDirectories(file.getParent());
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(Path.of(file + suffix));
      }
      url = "jdbc:sqlite:" + file;
    }
    Tour.run(url, System.out);
  }
}
