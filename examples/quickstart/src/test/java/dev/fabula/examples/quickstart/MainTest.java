package dev.fabula.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start runs end to end on a fresh SQLite file and tells what happened. */
class MainTest {
  @TempDir Path dir;

  @Test
  void the_tour_appends_voids_retries_and_reads_back() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      Main.main(new String[] {"jdbc:sqlite:" + dir.resolve("tour.db")});
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("Appended versions 1-2")
        .contains("retrying the same request wrote nothing twice")
        .contains("v3  reading-voided")
        .contains("The global log holds 3 meter events; head position 3");
  }
}
