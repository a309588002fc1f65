package dev.fabula.examples.configservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TourTest {

  @TempDir Path dir;

  @Test
  void the_tour_tells_the_story_on_an_empty_sqlite_file() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Tour.run("jdbc:sqlite:" + dir.resolve("tour.db"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("the read model was rebuilt from 0 events.")
        .contains("< 201 {\"name\":\"db-url\",\"value\":\"jdbc:postgresql://db1/app\",\"version\":1,\"change\":\"created\"}")
        .contains("< 200 {\"name\":\"db-url\",\"value\":\"jdbc:postgresql://db2/app\",\"version\":2,\"change\":\"updated\"}")
        .contains("< 412 {\"error\":\"version-mismatch\"")
        .contains("< 400 {\"error\":\"invalid-instant\"")
        .contains("< 409 {\"error\":\"value-deleted\"")
        .contains("< 201 {\"name\":\"pool-size\",\"value\":30,\"version\":3,\"change\":\"created\"}")
        .contains("#4 config 'pool-size' v2 deleted by carol: was 20")
        .contains("from 5 events in")
        .contains("still 5 rows for 5 changes, none twice.")
        .containsPattern("GET  p50 +[0-9.]+ ms   p95 +[0-9.]+ ms")
        .containsPattern("PUT  p50 +[0-9.]+ ms   p95 +[0-9.]+ ms");
    // time travel: the value as of version 1's own timestamp is version 1's value
    assertThat(out).containsPattern("< 200 \\{\"name\":\"db-url\",\"value\":\"jdbc:postgresql://db1/app\",\"version\":1,\"at\":");
    assertThat(out).containsPattern("db-url += \"jdbc:postgresql://db2/app\" +version 2, by bob");
    assertThat(out).containsPattern("pool-size += 30 +version 3, by carol");
    assertThat(out.lines().count()).isBetween(20L, 70L);
  }

  @Test
  void the_tour_runs_again_on_a_database_it_already_used() {
    String url = "jdbc:sqlite:" + dir.resolve("twice.db");
    Tour.run(url, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Tour.run(url, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .containsPattern("< 201 \\{\"name\":\"db-url-[0-9a-f]{6}\",\"value\":\"jdbc:postgresql://db1/app\",\"version\":1")
        .contains("still 5 rows for 5 changes, none twice.");
  }
}
