package dev.fabula.examples.energy;

import dev.fabula.examples.admin.AdminConsole;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the {@link Tour}: on {@code jdbc:sqlite:target/energy-ledger.db} (deleted first) by default,
 * or on the JDBC URL given as the first argument (an empty PostgreSQL database, for example). With
 * {@code -Dconsole=<port>}, it serves the {@link AdminConsole} (the admin console, one console per
 * user that shows only that user's data, and the ledger's meters) on that port from before the
 * story starts, so the meters count its work, until Enter is pressed after it; without, it says how
 * to.
 */
public final class Main {
  /** The users of the tour: each is a tenant, with a console of their own. */
  static final List<String> USERS = List.of("thandi", "pieter");

  private Main() {}

  /** Runs the tour. */
  public static void main(String[] args) throws IOException {
    String url;
    if (args.length > 0) {
      url = args[0];
    } else {
      Path db = Path.of("target", "energy-ledger.db");
      Files.createDirectories(db.getParent());
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(Path.of(db + suffix));
      }
      url = "jdbc:sqlite:" + db;
    }
    String port = System.getProperty("console");
    if (port == null) {
      Tour.run(url, System.out);
      System.out.println("The admin console and the meters: add -Dconsole=8081, then open http://127.0.0.1:8081/console/"
          + " and http://127.0.0.1:8081/metrics");
      return;
    }
    playWithConsole(url, Integer.parseInt(port), System.out, console -> {
      System.out.println("Press Enter to stop the console.");
      try {
        System.in.read();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Plays the tour with the admin console and the meters served on {@code port} (0: any free one)
   * from before the story on; prints where, and calls {@code afterStory} while they still serve.
   */
  static void playWithConsole(String url, int port, PrintStream out, Consumer<AdminConsole> afterStory) {
    Tour.run(url, out, (ledger, story) -> {
      try (AdminConsole console = AdminConsole.start(ledger.store(), ledger.projections(), USERS, port)) {
        console.printWhere(out);
        story.run();
        console.printWhere(out);
        afterStory.accept(console);
      }
    });
  }
}
