package dev.fabula.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guided tour plays every example's story end to end on fresh SQLite files. */
class MainTest {
  @TempDir Path dir;

  @Test
  void the_tour_plays_all_five_chapters_in_order() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Main.play(dir, null, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(printed).contains("5 example apps");
    int previous = -1;
    for (Main.Chapter chapter : Main.CHAPTERS) {
      int at = printed.indexOf("(examples/" + chapter.app() + ")");
      assertThat(at).as(chapter.app()).isGreaterThan(previous);
      previous = at;
      assertThat(dir.resolve(chapter.app() + ".db")).exists();
      int console = printed.indexOf("Its admin console and meters: mvn -B -q -pl examples/" + chapter.app() + " -am compile exec:java -Drun="
          + chapter.app() + " -Dconsole=8081, then open http://127.0.0.1:8081/console/", at);
      assertThat(console).as(chapter.app() + "'s console").isGreaterThan(at);
      assertThat(printed.indexOf("http://127.0.0.1:8081/metrics", console)).as(chapter.app() + "'s metrics").isGreaterThan(console);
    }
    assertThat(printed).contains("(chapter 5 took", "End of the tour.", "admin console", "-Dconsole=8081");
    assertThat(printed).doesNotContain("Admin console: http"); // the tour serves nothing: it finishes by itself
  }

  @Test
  void one_chapter_can_be_played_alone_and_a_wrong_name_says_which_exist() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Main.play(dir, "energy-ledger", new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Chapter 1 of 1", "(examples/energy-ledger)");

    assertThatThrownBy(() -> Main.play(dir, "nope", System.out))
        .hasMessageContaining("no example called 'nope'").hasMessageContaining("bookings");
  }
}
