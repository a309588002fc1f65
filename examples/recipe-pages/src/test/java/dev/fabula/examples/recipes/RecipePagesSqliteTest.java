package dev.fabula.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The story on SQLite: a fresh database file per test. */
class RecipePagesSqliteTest extends RecipePagesContract {
  @TempDir Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("kitchen.db");
  }

  @Test
  void the_tour_tells_the_story_on_a_fresh_sqlite_file_and_leaves_no_thread_behind() {
    Set<Thread> before = nonDaemonThreads();
    assertTourOutput(tour(url()));
    assertThat(nonDaemonThreads()).isSubsetOf(before);
  }

  @Test
  void main_runs_the_tour_on_target_recipe_pages_db_by_default() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      Main.main(new String[0]);
      Main.main(new String[0]); // deletes the file first, so it runs again
    } finally {
      System.setOut(original);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    String[] runs = printed.split("(?m)^(?=== Recipe pages)");
    assertThat(runs).hasSize(2);
    assertTourOutput(runs[1]);
    assertThat(Files.exists(Path.of("target", "recipe-pages.db"))).isTrue();
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }
}
