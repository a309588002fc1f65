package dev.fabula.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.testkit.postgres.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The tour runs on an empty database of each backend and tells the story with the right numbers. */
class TourTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();
  @TempDir Path dir;

  private static String tour(String url) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Tour.run(url, new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void assertStory(String printed) {
    assertThat(printed)
        .contains("10 rows read, 10 events written.")
        .contains("Rerun of the import: 10 rows read, 0 events written, 10 rows already imported.")
        .contains("refused by the Meter decider: reading-out-of-order")
        .contains("the projection recomputed 5 of 7 readings")
        .contains("2025-03-12 reading  r-0312     1080.0     27.5    200.0    120.0")
        .contains("2025-03-29 reading  r-0329    12124.0        -        -        -  voided: typo")
        .contains("thandi  meter 04040404040: bought 300.0 kWh for 810.00, position 1212.4, used 212.4, balance 87.6 kWh")
        .contains("pieter  meter 07070707070: bought 150.0 kWh for 405.00, position 561.0, used 61.0, balance 89.0 kWh")
        .contains("Pieter reading Thandi's meter stream: 0 events")
        .contains("Pieter's read model: 1 meter(s), 0 lines for Thandi's meter.")
        .contains("sum(reading_kwh): legacy 5905.05, read model 5905.05")
        .contains("The read model matches the legacy tables.")
        .contains("r-0329's note now reads 'voided', her balance is still 87.6 kWh.")
        .doesNotContain("SHOULD NOT HAPPEN");
    assertThat(printed.lines().count()).isBetween(20L, 60L);
  }

  @Test
  void the_tour_tells_the_story_on_a_fresh_sqlite_file() {
    assertStory(tour("jdbc:sqlite:" + dir.resolve("tour.db")));
  }

  @Test
  void the_tour_tells_the_story_on_an_empty_postgresql_database() {
    assertStory(tour(postgres.database().jdbcUrlWithCredentials()));
  }
}
