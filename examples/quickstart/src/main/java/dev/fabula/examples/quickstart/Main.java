package dev.fabula.examples.quickstart;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The guided tour: the five example apps, each one team's story, played in a row on fresh SQLite
 * files, each printing what happened. The first argument is the folder for the database files
 * (default {@code target/tour}, emptied first); {@code --only <app>} plays one chapter.
 */
public final class Main {

  /**
   * One chapter of the tour: an example app's scripted story.
   *
   * @param app the example's folder under {@code examples/}
   * @param title what the team wanted
   * @param play the example's {@code Tour.run(jdbcUrl, out)}
   */
  record Chapter(String app, String title, BiConsumer<String, PrintStream> play) {}

  static final List<Chapter> CHAPTERS = List.of(
      new Chapter("config-service", "A config service with history and time travel",
          dev.fabula.examples.configservice.Tour::run),
      new Chapter("meal-planner", "A meal planner's scheduled jobs, retries and recipe rotation",
          dev.fabula.examples.mealplanner.Tour::run),
      new Chapter("recipe-pages", "Recipe pages moved to page-specific read models without downtime",
          dev.fabula.examples.recipes.Tour::run),
      new Chapter("energy-ledger", "An electricity-token ledger imported from a legacy table, with voids and running totals",
          dev.fabula.examples.energy.Tour::run),
      new Chapter("bookings", "A multi-tenant booking platform with an outbox, a saga and snapshots",
          dev.fabula.examples.bookings.Tour::run));

  private Main() {}

  /** Plays the tour. */
  public static void main(String[] args) {
    Path folder = Path.of("target", "tour");
    String only = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--only") && i + 1 < args.length) {
        only = args[++i];
      } else {
        folder = Path.of(args[i]);
      }
    }
    play(folder, only, System.out);
  }

  /** Plays every chapter (or the one named {@code only}) on fresh SQLite files in {@code folder}. */
  static void play(Path folder, String only, PrintStream out) {
    List<Chapter> chapters = CHAPTERS.stream().filter(c -> only == null || c.app().equals(only)).toList();
    if (chapters.isEmpty()) {
      throw new IllegalArgumentException("no example called '" + only + "'; the examples are "
          + CHAPTERS.stream().map(Chapter::app).toList());
    }
    emptied(folder);
    out.println("Fabula guided tour: " + chapters.size() + " example app" + (chapters.size() > 1 ? "s" : "")
        + ", each on a fresh SQLite file in " + folder + ".");
    out.println("Every chapter is a runnable app under examples/; the code printed here is in its Tour class.");
    int n = 0;
    for (Chapter chapter : chapters) {
      n++;
      out.println();
      out.println("=".repeat(100));
      out.printf("Chapter %d of %d: %s (examples/%s)%n", n, chapters.size(), chapter.title(), chapter.app());
      out.println("=".repeat(100));
      long started = System.nanoTime();
      chapter.play().accept("jdbc:sqlite:" + folder.resolve(chapter.app() + ".db"), out);
      out.printf("(chapter %d took %.1f s)%n", n, (System.nanoTime() - started) / 1e9);
      out.println("Its admin console and meters: " + run(chapter.app()) + " -Dconsole=8081, then open "
          + "http://127.0.0.1:8081/console/ (with the token it prints) and http://127.0.0.1:8081/metrics");
    }
    out.println();
    out.println("End of the tour. Run one app alone: " + run("<app>"));
    out.println("(add -Dexec.args=\"jdbc:postgresql://host/db?user=...&password=...\" for PostgreSQL); docs in docs/README.md.");
    out.println("Add -Dconsole=8081 to look at its data in the admin console at http://127.0.0.1:8081/console/ and at its"
        + " meters at http://127.0.0.1:8081/metrics while it runs and until you press Enter (docs/console.md, docs/metrics.md).");
  }

  /** The command that runs {@code app} alone. */
  static String run(String app) {
    return "mvn -B -q -pl examples/" + app + " -am compile exec:java -Drun=" + app;
  }

  private static void emptied(Path folder) {
    try {
      if (Files.exists(folder)) {
        try (Stream<Path> files = Files.walk(folder)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the tour's folder " + folder, e);
    }
  }
}
